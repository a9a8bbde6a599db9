// The public verification page: the facts from the record behind a code (never from a document),
// its status, and a check of an uploaded or pasted credential. No login; misses and checks are rate-limited per address.
import { error, fail } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { checkUploadedCredential, siteAt } from '$lib/server/certificates/documents';
import { certificateByCode } from '$lib/server/certificates/records';
import { MAX_CREDENTIAL_LENGTH } from '$lib/server/certificates/credential';
import { formDataOf } from '$lib/server/http/forms';
import { limitVerification } from '$lib/server/http/verification-limit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function record(event: RequestEvent) {
	const cert = await certificateByCode(event.params.code);
	if (cert) return cert;
	await limitVerification(event);
	error(404, 'No certificate has this code.');
}

export const load = (async (event) => {
	event.setHeaders({ 'X-Robots-Tag': 'noindex' });
	const cert = await record(event);
	const site = siteAt(await publicAddress());
	return {
		certificate: {
			code: cert.code,
			holderRemoved: cert.holderRemoved,
			holderName: cert.holderName,
			courseTitle: cert.courseTitle,
			courseVersion: cert.courseVersion,
			completedAt: cert.completedAt.toISOString(),
			scorePercent: cert.scorePercent,
			issuer: site.name,
			issuerUrl: site.url,
			revoked: cert.revokedAt
				? { at: cert.revokedAt.toISOString(), reason: cert.revokedReason ?? '' }
				: null
		}
	};
}) satisfies PageServerLoad;

export const actions = {
	check: async (event) => {
		const cert = await record(event);
		await limitVerification(event);
		const form = await formDataOf(event.request);
		const file = form.get('credential');
		const pasted = form.get('jwt');
		let text = typeof pasted === 'string' ? pasted.trim() : '';
		if (!text && file instanceof File && file.size > 0) {
			if (file.size > MAX_CREDENTIAL_LENGTH)
				return fail(400, {
					check: { ok: false as const, message: 'That file is too large to be a credential.' }
				});
			text = (await file.text()).trim();
		}
		if (!text)
			return fail(400, {
				check: { ok: false as const, message: 'Choose a credential file or paste its text.' }
			});
		if (text.length > MAX_CREDENTIAL_LENGTH)
			return fail(400, {
				check: { ok: false as const, message: 'That text is too long to be a credential.' }
			});
		// Checked against this page's record, whatever certificate the credential names.
		const check = await checkUploadedCredential(text, cert, siteAt(await publicAddress()));
		return check.ok && check.matches ? { check } : fail(400, { check });
	}
} satisfies Actions;
