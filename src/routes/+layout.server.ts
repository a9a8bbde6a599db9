import { unreadCount } from '$lib/server/notifications/notifications';
import type { LayoutServerLoad } from './$types';

// Only what the header shows; access checks live in hooks.server.ts and each action. Reading
// the path makes this run on every navigation, so the unread count (one indexed count, capped)
// stays current as the athlete moves around.
export const load = (async ({ locals, url }) => {
	void url.pathname;
	return {
		user: locals.user
			? { name: locals.user.name, role: locals.user.role, timeZone: locals.user.timeZone }
			: null,
		unread: locals.user ? await unreadCount(locals.user.id) : 0
	};
}) satisfies LayoutServerLoad;
