import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formatWait } from '$lib/format';
import { authenticate } from '$lib/server/auth/accounts';
import { clientAddress } from '$lib/server/auth/client-address';
import { deviceCookieName } from '$lib/server/http/cookie';
import { safeRedirectTarget, startSession } from '$lib/server/http/login-session';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
}) satisfies PageServerLoad;

const schema = z.object({ email: fields.email, password: fields.password });
const INVALID = 'That email and password do not match an account.';

export const actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return formFailure(form.values, form.errors);
		if ([...form.data.password].length > 128) {
			return formFailure(form.values, { form: INVALID });
		}
		const result = await authenticate(
			form.data.email,
			form.data.password,
			clientAddress(event),
			cookies.get(deviceCookieName(url)) ?? null
		);
		if (!result.ok && result.reason === 'throttled') {
			return formFailure(
				form.values,
				{ form: `Too many failed attempts. Try again in ${formatWait(result.retryAfter)}.` },
				429
			);
		}
		if (!result.ok) return formFailure(form.values, { form: INVALID });
		await startSession(cookies, url, result.user.id);
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	}
} satisfies Actions;
