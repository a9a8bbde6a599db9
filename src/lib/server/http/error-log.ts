// What an internal error's log line may hold. A failed PostgreSQL statement's error (postgres.js)
// carries the statement's values (`parameters`, `args`) and an excerpt of the data (`where`):
// a learner's answers, names or emails. The log keeps what finds the bug, without them.
const DATA_FIELDS = ['parameters', 'args', 'where', 'detail'];

export function loggableError(err: unknown): unknown {
	if (!(err instanceof Error) || !DATA_FIELDS.some((f) => f in err)) return err;
	const { name, message, stack } = err;
	const { code, routine, query } = err as Error & {
		code?: string;
		routine?: string;
		query?: string;
	};
	return { name, message, code, routine, query, stack };
}
