// Row ids are UUIDs. Ids come from URLs and forms: anything but a well-formed UUID is simply not
// found, without a query (PostgreSQL would refuse it as input to a uuid column with an error).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);
