// The acceptance page: says who will see what, and joins only when the athlete presses Accept.
// A visitor who is not logged in sees the team and its coach, with "Create an account" and
// "Log in", both of which bring them back here (redirectTo) to accept.
import { error, fail, redirect } from '@sveltejs/kit';
import { acceptInvitation, previewInvitation } from '$lib/server/teams/invitations';
import { teamUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params, locals }) => {
	return {
		invitation: await previewInvitation(params.code, locals.user?.id ?? null),
		signedIn: Boolean(locals.user)
	};
}) satisfies PageServerLoad;

export const actions = {
	accept: async ({ params, locals }) => {
		// A form post cannot be replayed after log-in (as for every signed-in route: guard.ts).
		const user = locals.user;
		if (!user) error(401, 'Log in to do that.');
		const result = await acceptInvitation(params.code, user.id);
		if (!result.ok) return fail(400, { message: result.message });
		redirect(303, result.role === 'assistant' ? teamUrl(result.teamId) : '/dashboard?joined=1');
	}
} satisfies Actions;
