// Request pipeline: who is asking (auth), may they (guard), is it a real form action, and
// private caching. The security headers every response needs are set by the HTTP server below
// SvelteKit (scripts/server/security-headers.js), which also sees static files and the errors
// thrown here.
import { type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { deleteSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/http/cookie';
import { validateSessionToken } from '$lib/server/auth/session';
import { closeDatabase, databaseUrl, openDatabase } from '$lib/server/db';
import { startJobs, stopJobs } from '$lib/server/jobs/jobs';
import { DataDirError } from '$lib/server/db/embedded';
import { guard } from '$lib/server/http/guard';
import { coursesDirs, SettingError } from '$lib/server/config';
import { loadCatalog } from '$lib/server/content/catalog';
import { backfillReviewCards } from '$lib/server/review/backfill';
import { refuseUnknownActions } from '$lib/server/http/form-actions';
import { databaseDown } from '$lib/server/http/database-down';
import { refuseNulInQuery } from '$lib/server/http/nul-bytes';
import { loggableError } from '$lib/server/http/error-log';
import { verificationCors } from '$lib/server/http/cors';
import { countRequestsAtWork, requestsSettled } from '$lib/server/http/requests-at-work';
import {
	followAddressChanges,
	loopbackNotice,
	reissueIfAddressChanged,
	siteAddress
} from '$lib/server/site/address';
import { followPublishes } from '$lib/server/authoring/packages';
import { logRequest } from '$lib/server/http/request-log';
import { log } from '$lib/server/log';
import { registerAppMetrics } from '$lib/server/metrics';
import { offerOneClickUnsubscribe } from '$lib/server/mail/one-click';
import { speaksForSite, workerSlot } from '$lib/server/process/worker-slot';

// How long shutdown waits for requests whose clients hung up before closing the database anyway.
const SETTLE_LIMIT_MS = 10_000;

export const init: ServerInit = async () => {
	// Content first: a broken course is reported and skipped, the rest of the site still serves.
	// Every worker holds its own copy of the courses; one of them reports what it loaded.
	loadCatalog(coursesDirs(), speaksForSite() ? console.log : () => {});
	try {
		await openDatabase();
	} catch (e) {
		console.error(e instanceof DataDirError || e instanceof SettingError ? e.message : e);
		process.exit(1);
	}
	// An admin's change of the site address, heard from whichever instance or worker made it.
	const stopFollowingAddress = await followAddressChanges().catch((e: unknown) => {
		console.error('Site address changes cannot be followed (re-read every few seconds):', e);
		return async () => {};
	});
	// Once per site, not once per worker: the primary started the workers after migrating.
	if (speaksForSite()) await announceSiteAddress();
	registerAppMetrics();
	offerOneClickUnsubscribe();
	// Courses published from the browser, beside the files; every instance follows publishes.
	const stopFollowing = await followPublishes().catch((e: unknown) => {
		console.error('Uploaded courses could not be loaded (course files still serve):', e);
		return async () => {};
	});
	// Reminders and mail wait in the database if the queue cannot start; the site still serves.
	await startJobs(databaseUrl()).catch((e: unknown) =>
		console.error('The job queue did not start (reminders and mail wait until it does):', e)
	);
	// Review cards for attempts graded before spaced review existed; in the background, once.
	backfillReviewCards().catch((e: unknown) => console.error('Review card backfill failed:', e));
	// One shutdown, however many signals and events ask for it: jobs first (a delivery in
	// progress finishes), then the database. Whoever exits the process waits for all of it.
	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= requestsSettled(SETTLE_LIMIT_MS)
			.then((left) => {
				if (left) console.error(`Stopping with ${left} request(s) still running.`);
			})
			.then(stopFollowing)
			.then(stopFollowingAddress)
			.then(stopJobs)
			.catch((e: unknown) => console.error('The job queue did not stop cleanly:', e))
			.then(closeDatabase)
			.then(() => {
				// A worker leaves the database (and this line) to the primary, and exits so the
				// primary knows it has drained: the cluster's IPC channel would keep it alive.
				if (workerSlot() !== undefined) process.exit(0);
				console.log('Stopped: the site and its database are shut down.');
			}));
	// adapter-node emits this after the HTTP server has drained on SIGINT/SIGTERM.
	process.once('sveltekit:shutdown' as 'exit', () => void stop());
	// The dev server has no such event: stop the database before exiting.
	if (dev)
		for (const signal of ['SIGINT', 'SIGTERM'] as const)
			process.once(signal, () => void stop().finally(() => process.exit(0)));
};

/**
 * One line when only this machine can open the site's address, and a re-issue of certificates
 * when the address changed while the site was down (ORIGIN edited). Neither stops the start.
 */
async function announceSiteAddress() {
	try {
		const reissued = await reissueIfAddressChanged();
		const address = await siteAddress();
		if (reissued)
			console.log(
				`The site's address is now ${address.url}: ${reissued} certificate(s) re-issued.`
			);
		const notice = loopbackNotice(address);
		if (notice) console.log(notice);
	} catch (e) {
		console.error('Could not read the site address from the database:', e);
	}
}

const auth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(sessionCookieName(event.url));
	event.locals.user = null;
	event.locals.session = null;
	event.locals.unread = 0;
	if (token) {
		const result = await validateSessionToken(token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = { ...result.session, token };
			event.locals.unread = result.unread;
			setSessionCookie(event.cookies, event.url, token, result.session.expiresAt);
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

// What a signed-in user sees is theirs alone: no shared or stored copies. An endpoint that
// chose its own lifetime keeps it: course media (private, revalidated by ETag), and files that
// are the same for everyone (a course cover, the public keys).
const privateCache: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.user && !response.headers.has('Cache-Control'))
		response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(
	logRequest,
	countRequestsAtWork,
	refuseNulInQuery,
	verificationCors,
	databaseDown,
	auth,
	guard,
	refuseUnknownActions,
	privateCache
);

export const handleError: HandleServerError = ({ error: err, event, status, message }) => {
	const id = crypto.randomUUID();
	// The id shown to the user is in the line, beside the request's own id.
	if (status >= 500)
		log.error(
			{
				errorId: id,
				reqId: event.locals.requestId,
				route: event.route.id,
				err: loggableError(err)
			},
			`Error ${id}`
		);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message, id };
};
