import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/http/guards';
import { z } from 'zod';
import { listUsers, recentRoleChanges, updateUser } from '$lib/server/auth/admin-users';
import { roles } from '$lib/server/db/schema';
import { adminResetLink } from '$lib/server/auth/password-reset';
import { formDataOf, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	requireRole('admin');
	return { users: await listUsers(), roleChanges: await recentRoleChanges() };
}) satisfies PageServerLoad;

const schema = z.object({
	id: z.uuid('Unknown account.'),
	role: z.enum(roles, 'Choose learner, coach or admin.'),
	status: z.enum(['active', 'disabled'], 'Choose active or disabled.'),
	timeMultiplier: z.coerce
		.number('Enter a number such as 1.5.')
		.min(1, 'Extra time is a multiplier of at least 1.')
		.max(4, 'Use at most 4 (four times as long).')
});

export const actions = {
	update: async ({ request }) => {
		// The guard already allows only admins here; checked again because this changes roles.
		const admin = requireRole('admin');
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return fail(400, { id: form.values.id, errors: form.errors });
		const { id, role, status, timeMultiplier } = form.data;
		if (id === admin.id && (role !== 'admin' || status === 'disabled'))
			return fail(400, { id, errors: { role: 'You cannot remove your own admin access.' } });
		if (
			!(await updateUser(
				{ id },
				{ role, disabled: status === 'disabled', timeMultiplier },
				admin.id
			))
		)
			error(404, 'Account not found');
		redirect(303, '/admin/users?saved=1');
	},
	// The link is in this one answer only (no redirect, nothing kept but its hash): the admin
	// copies it and passes it on by hand, for sites without mail.
	resetLink: async ({ request }) => {
		const admin = requireRole('admin');
		const form = readForm(await formDataOf(request), z.object({ id: z.uuid('Unknown account.') }));
		if (!form.ok) return fail(400, { id: form.values.id, errors: form.errors });
		const made = await adminResetLink({ id: form.data.id }, admin.id);
		if (!made) error(404, 'Account not found');
		return { resetLink: { id: form.data.id, url: made.url, expiresAt: made.expiresAt } };
	}
} satisfies Actions;
