import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formatWait } from '$lib/format';
import { signUp } from '$lib/server/auth/accounts';
import { passwordProblem } from '$lib/server/auth/password';
import { clientAddress } from '$lib/server/auth/client-address';
import { safeRedirectTarget, startSession } from '$lib/server/http/login-session';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
}) satisfies PageServerLoad;

const schema = z.object({ name: fields.name, email: fields.email, password: fields.password });

export const actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const data = await formDataOf(request);
		const form = readForm(data, schema);
		// Every problem at once: the password rules are checked even when another field is wrong.
		// (Whether the email is taken is only asked once the rest is right, through the limit.)
		const password = data.get('password');
		const values = form.values;
		const weak =
			typeof password === 'string' && password && !(!form.ok && form.errors.password)
				? passwordProblem(password, [values.name ?? '', (values.email ?? '').split('@')[0] ?? ''])
				: null;
		if (!form.ok || weak)
			return formFailure(values, {
				...(form.ok ? {} : form.errors),
				...(weak && { password: weak })
			});
		const result = await signUp(form.data, clientAddress(event));
		if (!result.ok && 'reason' in result) {
			const wait = formatWait(result.retryAfter);
			return formFailure(
				form.values,
				{ form: `Too many sign-ups from your network. Try again in ${wait}.` },
				429
			);
		}
		if (!result.ok) {
			return formFailure(form.values, { [result.field]: result.message });
		}
		await startSession(cookies, url, result.value.id);
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	}
} satisfies Actions;
