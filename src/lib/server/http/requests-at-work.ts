// The requests the app is still working on. A request whose client hung up (a proxy's timeout,
// a load test ending) has no connection left, so the HTTP server's graceful close does not wait
// for it, yet its page or action goes on and needs the database until it ends. Shutdown waits
// for these before closing the database (hooks.server.ts).
import type { Handle } from '@sveltejs/kit';

let working = 0;
const waiting: (() => void)[] = [];

export const countRequestsAtWork: Handle = async ({ event, resolve }) => {
	working++;
	try {
		return await resolve(event);
	} finally {
		if (--working === 0) for (const done of waiting.splice(0)) done();
	}
};

/** Resolves when no request is at work, or after `limitMs` with the number still running. */
export function requestsSettled(limitMs: number): Promise<number> {
	if (working === 0) return Promise.resolve(0);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(working), limitMs);
		waiting.push(() => {
			clearTimeout(timer);
			resolve(0);
		});
	});
}
