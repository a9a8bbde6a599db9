import { redirect } from '@sveltejs/kit';
import { deleteSessionCookie } from '$lib/server/http/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) await invalidateSession(locals.session.id);
		deleteSessionCookie(cookies, url);
		redirect(303, '/');
	}
} satisfies Actions;
