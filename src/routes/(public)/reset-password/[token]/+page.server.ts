// The page a reset link opens: a new password, checked by the sign-up rules. It does not log
// the person in (OWASP): every session ends, and they log in with the new password.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { accountForResetToken, resetPassword } from '$lib/server/auth/password-reset';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const account = await accountForResetToken(params.token);
	// The address only, so the person sees which account they are resetting.
	return { email: account?.email ?? null };
}) satisfies PageServerLoad;

const schema = z.object({ password: fields.password });

export const actions = {
	default: async ({ request, params }) => {
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return formFailure(form.values, form.errors);
		const result = await resetPassword(params.token, form.data.password);
		if (!result.ok) return formFailure(form.values, { [result.field]: result.message });
		redirect(303, '/login?reset=1');
	}
} satisfies Actions;
