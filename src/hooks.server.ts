// Request pipeline: who is asking (auth), may they (guard), and the response headers.
import {
	error,
	redirect,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { loginUrl } from '$lib/routes';
import { dev } from '$app/environment';
import { deleteSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/auth/cookie';
import { validateSessionToken } from '$lib/server/auth/session';
import { closeDatabase, openDatabase } from '$lib/server/db';
import { DataDirInUseError } from '$lib/server/db/embedded';
import { isPublicRoute, requiredRole } from '$lib/server/auth/access';
import { coursesDirs } from '$lib/server/config';
import { loadCatalog } from '$lib/server/content/catalog';

export const init: ServerInit = async () => {
	// Content first: a broken course is reported and skipped, the rest of the site still serves.
	loadCatalog(coursesDirs());
	try {
		await openDatabase();
	} catch (e) {
		console.error(e instanceof DataDirInUseError ? e.message : e);
		process.exit(1);
	}
	// adapter-node emits this after the HTTP server has drained on SIGINT/SIGTERM.
	process.once('sveltekit:shutdown' as 'exit', () => {
		void closeDatabase();
	});
	// The dev server has no such event: stop the database before exiting.
	if (dev)
		for (const signal of ['SIGINT', 'SIGTERM'] as const)
			process.once(signal, () => void closeDatabase().finally(() => process.exit(0)));
};

const auth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(sessionCookieName(event.url));
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const result = await validateSessionToken(token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = { ...result.session, token };
			setSessionCookie(event.cookies, event.url, token, result.session.expiresAt);
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

// Deny by default: anything not on the public allow-list needs a signed-in user.
// Deny by default: anything not on the public allow-list needs a signed-in user.
const guard: Handle = async ({ event, resolve }) => {
	const route = event.route.id;
	if (!isPublicRoute(route) && !event.locals.user) {
		if (event.request.method !== 'GET' && event.request.method !== 'HEAD') {
			error(401, 'Log in to do that.');
		}
		const path = event.url.pathname;
		redirect(303, loginUrl(path + event.url.search));
	}
	const role = requiredRole(route);
	if (role && !(event.locals.user && role.includes(event.locals.user.role))) {
		error(404, 'Not found');
	}
	return resolve(event);
};

const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(auth, guard, headers);

export const handleError: HandleServerError = ({ error: err, status, message }) => {
	const id = crypto.randomUUID();
	if (status >= 500) console.error(`Error ${id}:`, err);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message, id };
};
