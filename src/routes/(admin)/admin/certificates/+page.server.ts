import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/http/guards';
import { formDataOf, readForm } from '$lib/server/http/forms';
import {
	certificatesWithChangedBasis,
	reinstateCertificate,
	revokeCertificate,
	searchCertificates,
	type AdminCertificate
} from '$lib/server/certificates/records';
import { verifyUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

const view = (c: AdminCertificate) => ({
	id: c.id,
	holderName: c.holderName,
	email: c.email,
	courseTitle: c.courseTitle,
	courseVersion: c.courseVersion,
	completedAt: c.completedAt.toISOString(),
	scorePercent: c.scorePercent,
	verifyUrl: verifyUrl(c.code),
	revoked: c.revokedAt ? { at: c.revokedAt.toISOString(), reason: c.revokedReason ?? '' } : null,
	basisChangedAt: c.basisChangedAt?.toISOString() ?? null
});

export const load = (async ({ url }) => {
	requireRole('admin');
	const query = (url.searchParams.get('q') ?? '').slice(0, 200);
	return {
		query,
		certificates: (await searchCertificates(query)).map(view),
		basisChanged: (await certificatesWithChangedBasis()).map(view)
	};
}) satisfies PageServerLoad;

const schema = z.object({
	id: z.uuid('Unknown certificate.'),
	reason: z
		.string('Give a reason.')
		.trim()
		.min(3, 'Give a reason (at least 3 characters).')
		.max(500, 'Keep the reason to 500 characters.')
});

async function change(request: Request, url: URL, action: 'revoke' | 'reinstate') {
	const admin = requireRole('admin');
	const form = readForm(await formDataOf(request), schema);
	if (!form.ok) return fail(400, { id: form.values.id, action, errors: form.errors });
	const done = await (action === 'revoke' ? revokeCertificate : reinstateCertificate)(
		form.data.id,
		admin.id,
		form.data.reason
	);
	if (!done.ok && done.reason === 'not-found') error(404, 'Certificate not found');
	if (!done.ok)
		return fail(409, {
			id: form.data.id,
			action,
			errors: { reason: action === 'revoke' ? 'It is already revoked.' : 'It is not revoked.' }
		});
	redirect(
		303,
		`/admin/certificates?q=${encodeURIComponent(url.searchParams.get('q') ?? '')}&saved=${action}`
	);
}

export const actions = {
	revoke: ({ request, url }) => change(request, url, 'revoke'),
	reinstate: ({ request, url }) => change(request, url, 'reinstate')
} satisfies Actions;
