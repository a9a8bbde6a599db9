import type { LayoutServerLoad } from './$types';

// Only what the header shows; access checks live in hooks.server.ts and each action.
export const load = (({ locals }) => ({
	user: locals.user
		? { name: locals.user.name, role: locals.user.role, timeZone: locals.user.timeZone }
		: null
})) satisfies LayoutServerLoad;
