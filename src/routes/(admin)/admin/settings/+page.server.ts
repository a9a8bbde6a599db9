import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireRole } from '$lib/server/http/guards';
import { confirmSiteAddress, siteAddress } from '$lib/server/site/address';
import { adminSettingsUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	requireRole('admin');
	const address = await siteAddress();
	return {
		address,
		// Only a suggestion to prefill the form: the address this admin is browsing from. It is
		// saved only when they confirm it, never taken from a request on its own.
		suggestion: address.source === 'unconfirmed' ? url.origin : address.url
	};
}) satisfies PageServerLoad;

const addressSchema = z.object({
	address: z.string('Enter the address as text.').max(1000, 'That address is too long.')
});

export const actions = {
	address: async ({ request }) => {
		const admin = requireRole('admin');
		const form = readForm(await formDataOf(request), addressSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'address');
		const result = await confirmSiteAddress(form.data.address, admin.id);
		if (!result.ok) return formFailure(form.values, { address: result.message }, 400, 'address');
		redirect(303, `${adminSettingsUrl}?saved=address&reissued=${result.reissued}`);
	}
} satisfies Actions;
