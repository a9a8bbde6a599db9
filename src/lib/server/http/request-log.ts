// One log line and one histogram sample per request: method, route id, status, duration and a
// request id (also sent back as X-Request-Id, and named in error lines). Never the URL's query
// string, a form field, an answer or an email address: the route id stands for the path.
import { isHttpError, isRedirect, type Handle } from '@sveltejs/kit';
import { log } from '../log';
import { httpRequestDuration } from '../metrics';

export const logRequest: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = crypto.randomUUID();
	event.locals.requestId = requestId;
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		response.headers.set('X-Request-Id', requestId);
		return response;
	} catch (thrown) {
		// A later hook's error(404) or redirect(303) is answered with its own status by SvelteKit
		// once it leaves here: the log and the metrics say that status, not a 500.
		if (isHttpError(thrown) || isRedirect(thrown)) status = thrown.status;
		throw thrown;
	} finally {
		const seconds = (performance.now() - started) / 1000;
		const route = event.route.id ?? '(none)';
		httpRequestDuration.observe({ method: event.request.method, route, status }, seconds);
		log.info(
			{
				reqId: requestId,
				method: event.request.method,
				route,
				status,
				ms: +(seconds * 1000).toFixed(1)
			},
			'request'
		);
	}
};
