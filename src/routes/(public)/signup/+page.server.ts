import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { createUser } from '$lib/server/auth/accounts';
import { safeRedirectTarget, startSession } from '$lib/server/http/login-session';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	if (locals.user) redirect(303, '/dashboard');
}) satisfies PageServerLoad;

const schema = z.object({ name: fields.name, email: fields.email, password: fields.password });

export const actions = {
	default: async ({ request, cookies, url }) => {
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return formFailure(form.values, form.errors);
		const result = await createUser(form.data);
		if (!result.ok) {
			return formFailure(form.values, { [result.field]: result.message });
		}
		await startSession(cookies, url, result.value.id);
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	}
} satisfies Actions;
