import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { changePassword, updateName } from '$lib/server/auth/accounts';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireUser } from '$lib/server/http/guards';
import {
	certificateNameOf,
	refreshCertificateNames,
	setCertificateName
} from '$lib/server/certificates/records';
import { leaveTeam, membershipsOf } from '$lib/server/teams/teams';
import { deleteAccountAction } from '$lib/server/http/account-privacy';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	return {
		profile: {
			name: user.name,
			email: user.email,
			role: user.role,
			certificateName: await certificateNameOf(user.id)
		},
		teams: await membershipsOf(user.id)
	};
}) satisfies PageServerLoad;

const profileSchema = z.object({ name: fields.name });
const certificateNameSchema = z.object({
	// Empty means "use my display name"; otherwise the same rules as a name.
	certificateName: z.union([z.literal(''), fields.name])
});
const leaveSchema = z.object({ team: z.uuid('Unknown team.') });
const passwordSchema = z.object({ current: fields.currentPassword, password: fields.password });

export const actions = {
	profile: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), profileSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'profile');
		await updateName(user.id, form.data.name);
		await refreshCertificateNames(user.id);
		redirect(303, '/account?saved=profile');
	},
	certificateName: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), certificateNameSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'certificateName');
		await setCertificateName(user.id, form.data.certificateName.trim() || null);
		redirect(303, '/account?saved=certificate-name');
	},
	leave: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), leaveSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'leave');
		// Only the signed-in athlete's own membership can be removed; any other id is "not in it".
		if (!(await leaveTeam(user.id, form.data.team)))
			return formFailure(form.values, { team: 'You are not in that team.' }, 400, 'leave');
		redirect(303, '/account?saved=left');
	},
	password: async ({ request, locals }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), passwordSchema);
		if (!form.ok) return formFailure({}, form.errors, 400, 'password');
		const result = await changePassword(
			user.id,
			locals.session!.token,
			form.data.current,
			form.data.password
		);
		if (!result.ok) {
			return formFailure({}, { [result.field]: result.message }, 400, 'password');
		}
		redirect(303, '/account?saved=password');
	},
	deleteAccount: deleteAccountAction
} satisfies Actions;
