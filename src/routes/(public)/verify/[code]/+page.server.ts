// The public verification page: the facts from the record behind a code (never from a document),
// its status, and a check of an uploaded or pasted credential. No login; rate-limited per address.
import { error, fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { reserveInHour } from '$lib/server/auth/signup-limit';
import { publicOrigin } from '$lib/server/config';
import { checkUploadedCredential, siteAt } from '$lib/server/certificates/documents';
import { certificateByCode } from '$lib/server/certificates/records';
import { holderRemoved } from '$lib/server/privacy/deletion';
import { MAX_CREDENTIAL_LENGTH } from '$lib/server/certificates/credential';
import { formDataOf } from '$lib/server/http/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const allowance = () => Number(process.env.VERIFY_ADDRESS_ALLOWANCE) || 300;

/** Looking codes up at speed is refused; an unknown address (see client-address.ts) is not limited. */
async function limit(event: RequestEvent) {
	const address = clientAddress(event);
	if (!address) return;
	const reserved = await reserveInHour(`verify:${address}`, allowance());
	if (!reserved.ok)
		error(429, `Too many checks from your address. Try again in ${reserved.retryAfter} seconds.`);
}

async function record(event: RequestEvent) {
	await limit(event);
	const cert = await certificateByCode(event.params.code);
	if (!cert) error(404, 'No certificate has this code.');
	return cert;
}

export const load = (async (event) => {
	event.setHeaders({ 'X-Robots-Tag': 'noindex' });
	const cert = await record(event);
	const site = siteAt(publicOrigin(event.url.origin));
	return {
		certificate: {
			code: cert.code,
			holderRemoved: await holderRemoved(cert.userId),
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
		await record(event);
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
		const check = await checkUploadedCredential(text, siteAt(publicOrigin(event.url.origin)));
		return check.ok ? { check } : fail(400, { check });
	}
} satisfies Actions;
