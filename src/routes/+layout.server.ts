import { unreadCount } from '$lib/server/notifications/notifications';
import type { LayoutServerLoad } from './$types';

// Only what the header shows; access checks live in hooks.server.ts and each action. Reading
// the path makes this run on every navigation, so the unread count stays current as the athlete
// moves around. The count came with the session; after a form action (marking notifications
// read, accepting an invitation) it may have changed within this request, so it is read again.
export const load = (async ({ locals, url, request }) => {
	void url.pathname;
	const user = locals.user;
	return {
		user: user ? { name: user.name, role: user.role, timeZone: user.timeZone } : null,
		unread: !user ? 0 : request.method === 'GET' ? locals.unread : await unreadCount(user.id)
	};
}) satisfies LayoutServerLoad;
