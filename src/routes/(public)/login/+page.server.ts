import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { authenticate } from '$lib/server/auth/accounts';
import { safeRedirectTarget, startSession } from '$lib/server/http/login-session';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
}) satisfies PageServerLoad;

const schema = z.object({ email: fields.email, password: fields.password });
const INVALID = 'That email and password do not match an account.';

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return formFailure(form.values, form.errors);
		if ([...form.data.password].length > 128) {
			return formFailure(form.values, { form: INVALID });
		}
		const result = await authenticate(form.data.email, form.data.password, getClientAddress());
		if (!result.ok && result.reason === 'throttled') {
			const wait = `${result.retryAfter} second${result.retryAfter === 1 ? '' : 's'}`;
			return formFailure(
				form.values,
				{ form: `Too many failed attempts. Try again in ${wait}.` },
				429
			);
		}
		if (!result.ok) return formFailure(form.values, { form: INVALID });
		await startSession(cookies, url, result.user.id);
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	}
} satisfies Actions;
