// When PostgreSQL is unreachable (restarting, stopped, network gone), pages answer 503 with a
// plain message instead of a 500: the failure is ours but passing, and the next request after
// the database is back is served normally (the connection pool reconnects by itself). The
// health query runs only after a request already failed, so healthy traffic pays nothing.
import type { Handle } from '@sveltejs/kit';
import { databaseIsUp } from '../db';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefly unavailable · Stride Academy</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Briefly unavailable</h1>
<p>The site cannot reach its database just now, so nothing can be shown or saved. Nothing you saved before is lost.</p>
<p>Please try again in a minute.</p>
</body></html>`;

function unavailable(json: boolean): Response {
	const headers = { 'Retry-After': '30', 'Cache-Control': 'no-store' };
	return json
		? Response.json(
				{ message: 'The site cannot reach its database just now. Please try again in a minute.' },
				{ status: 503, headers }
			)
		: new Response(PAGE, {
				status: 503,
				headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }
			});
}

export const databaseDown: Handle = async ({ event, resolve }) => {
	const wantsJson = !(event.request.headers.get('accept') ?? '').includes('text/html');
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		if (!(await databaseIsUp())) return unavailable(wantsJson);
		throw error;
	}
	if (
		response.status >= 500 &&
		!event.url.pathname.startsWith('/healthz') &&
		!(await databaseIsUp())
	)
		return unavailable(wantsJson);
	return response;
};
