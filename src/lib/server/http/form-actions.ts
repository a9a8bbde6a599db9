// Refuses form posts that name an action their route does not define, before SvelteKit looks
// the name up. SvelteKit reads `actions[name]`, so `?/constructor`, `?/__proto__` or
// `?/toString` find Object.prototype members (a 500, or a prototype method run as the action),
// and `?/default` throws; each is a stack trace in the log, reachable without logging in.
import { error, type Actions, type Handle } from '@sveltejs/kit';

// Each page's server module, loaded when first needed: the same module SvelteKit loads to run
// the action, so this costs nothing and can never disagree with the route.
const pageServerModules = import.meta.glob<{ actions?: Actions }>(
	'/src/routes/**/+page.server.{ts,js}'
);

/** `/src/routes/courses/[course]/+page.server.ts` → `/courses/[course]` (SvelteKit's route id). */
export function routeIdOf(file: string): string {
	return file.replace(/^\/src\/routes/, '').replace(/\/\+page\.server\.[jt]s$/, '') || '/';
}

const loadByRouteId = new Map(
	Object.entries(pageServerModules).map(([file, load]) => [routeIdOf(file), load])
);

/**
 * Whether a form post to this URL names one of these actions, read as SvelteKit reads it: the
 * first query key starting with `/`, or `default` when there is none. Naming `default`
 * outright is refused, as SvelteKit does (with a 500).
 */
export function namesAnAction(actions: Actions, url: URL): boolean {
	let name = 'default';
	for (const key of url.searchParams.keys()) {
		if (key.startsWith('/')) {
			name = key.slice(1);
			if (name === 'default') return false;
			break;
		}
	}
	return Object.hasOwn(actions, name) && typeof actions[name] === 'function';
}

export const refuseUnknownActions: Handle = async ({ event, resolve }) => {
	const load = event.request.method === 'POST' && loadByRouteId.get(event.route.id ?? '');
	if (load) {
		const { actions } = await load();
		// A page without actions is answered 405 by SvelteKit itself.
		if (actions && !namesAnAction(actions, new URL(event.request.url))) error(404, 'Not found');
	}
	return resolve(event);
};
