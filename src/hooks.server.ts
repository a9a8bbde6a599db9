// Request pipeline: who is asking (auth), may they (guard), is it a real form action, and
// private caching. The security headers every response needs are set by the HTTP server below
// SvelteKit (scripts/server/security-headers.js), which also sees static files and the errors
// thrown here.
import { type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { deleteSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/http/cookie';
import { validateSessionToken } from '$lib/server/auth/session';
import { closeDatabase, openDatabase } from '$lib/server/db';
import { DataDirError } from '$lib/server/db/embedded';
import { guard } from '$lib/server/http/guard';
import { coursesDirs } from '$lib/server/config';
import { loadCatalog } from '$lib/server/content/catalog';
import { refuseUnknownActions } from '$lib/server/http/form-actions';
import { databaseDown } from '$lib/server/http/database-down';

export const init: ServerInit = async () => {
	// Content first: a broken course is reported and skipped, the rest of the site still serves.
	loadCatalog(coursesDirs());
	try {
		await openDatabase();
	} catch (e) {
		console.error(e instanceof DataDirError ? e.message : e);
		process.exit(1);
	}
	// adapter-node emits this after the HTTP server has drained on SIGINT/SIGTERM.
	process.once('sveltekit:shutdown' as 'exit', () => {
		void closeDatabase().then(() =>
			console.log('Stopped: the site and its database are shut down.')
		);
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

// What a signed-in user sees is theirs alone: no shared or stored copies.
const privateCache: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(databaseDown, auth, guard, refuseUnknownActions, privateCache);

export const handleError: HandleServerError = ({ error: err, status, message }) => {
	const id = crypto.randomUUID();
	if (status >= 500) console.error(`Error ${id}:`, err);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message, id };
};
