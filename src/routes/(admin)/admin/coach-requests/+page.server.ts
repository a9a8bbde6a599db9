import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { recentRoleChanges } from '$lib/server/auth/admin-users';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireRole } from '$lib/server/http/guards';
import {
	decideCoachRequest,
	decidedCoachRequests,
	pendingCoachRequests
} from '$lib/server/teams/coach-requests';
import { adminCoachRequestsUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const admin = requireRole('admin');
	const [pending, decided, roleChanges] = await Promise.all([
		pendingCoachRequests(admin),
		decidedCoachRequests(admin),
		recentRoleChanges(20)
	]);
	return { pending, decided, roleChanges };
}) satisfies PageServerLoad;

const decideSchema = z.object({
	id: z.uuid('Unknown request.'),
	decision: z.enum(['approved', 'declined'], 'Choose approve or decline.'),
	reason: z
		.string('The reason must be text.')
		.trim()
		.max(500, 'Keep the reason under 500 characters.')
		.optional()
});

export const actions = {
	decide: async ({ request }) => {
		const admin = requireRole('admin');
		const form = readForm(await formDataOf(request), decideSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'decide');
		const { id, decision, reason } = form.data;
		// Already decided (by another admin) or unknown: nothing to do here.
		if (!(await decideCoachRequest(admin, id, decision, reason))) error(404, 'Request not found');
		redirect(303, `${adminCoachRequestsUrl}?saved=${decision}`);
	}
} satisfies Actions;
