// Refuses a query string holding a NUL character (%00) before any page reads it: PostgreSQL's
// text cannot hold one, so a search carrying it would fail its statement (a 500). Paths need no
// guard: each route checks its ids' shape and answers 404. Form fields are refused where every
// form is read (forms.ts).
import { error, type Handle } from '@sveltejs/kit';

export const refuseNulInQuery: Handle = ({ event, resolve }) => {
	if (/%00/i.test(event.url.search) || event.url.search.includes('\0'))
		error(400, 'The address contains a NUL character (%00), which no page accepts.');
	return resolve(event);
};
