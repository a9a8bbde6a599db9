// "Forgot your password?": the same answer (page and status) whether or not the email has an
// account. The link is mailed after the answer, so the response time does not tell either.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formatWait } from '$lib/format';
import { clientAddress } from '$lib/server/auth/client-address';
import { mailResetLink, reserveResetRequest } from '$lib/server/auth/password-reset';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { resetRequestUrl } from '$lib/routes';
import type { Actions } from './$types';

const schema = z.object({ email: fields.email });

export const actions = {
	default: async (event) => {
		const form = readForm(await formDataOf(event.request), schema);
		if (!form.ok) return formFailure(form.values, form.errors);
		const reserved = await reserveResetRequest(form.data.email, clientAddress(event));
		if (!reserved.ok)
			return formFailure(
				form.values,
				{ form: `Too many reset requests. Try again in ${formatWait(reserved.retryAfter)}.` },
				429
			);
		const email = form.data.email;
		setImmediate(() => {
			mailResetLink(email).catch((e: unknown) =>
				console.error('Could not write the reset mail:', e instanceof Error ? e.message : e)
			);
		});
		redirect(303, `${resetRequestUrl}?sent=1`);
	}
} satisfies Actions;
