// The acceptance page: says who will see what, and joins only when the athlete presses Accept.
// Visitors are sent to log in (or sign up from there) and brought back by the route policy.
import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http/guards';
import { acceptInvitation, previewInvitation } from '$lib/server/teams/invitations';
import { teamUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const user = requireUser();
	return { invitation: await previewInvitation(params.code, user.id) };
}) satisfies PageServerLoad;

export const actions = {
	accept: async ({ params }) => {
		const user = requireUser();
		const result = await acceptInvitation(params.code, user.id);
		if (!result.ok) return fail(400, { message: result.message });
		redirect(303, result.role === 'assistant' ? teamUrl(result.teamId) : '/dashboard?joined=1');
	}
} satisfies Actions;
