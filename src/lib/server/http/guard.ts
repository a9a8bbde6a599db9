// The hook's access check: the route group's policy (policy.ts) for every request.
import { error, redirect, type Handle } from '@sveltejs/kit';
import { loginUrl } from '../../routes';
import { decide } from './policy';

export const guard: Handle = async ({ event, resolve }) => {
	const decision = decide(event.route.id, event.locals.user);
	if (decision === 'not-found') error(404, 'Not found');
	if (decision === 'log-in') {
		// A form post cannot be replayed after log-in, so it is simply refused.
		if (event.request.method !== 'GET' && event.request.method !== 'HEAD')
			error(401, 'Log in to do that.');
		redirect(303, loginUrl(event.url.pathname + event.url.search));
	}
	return resolve(event);
};
