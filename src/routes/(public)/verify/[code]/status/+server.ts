// The credential status endpoint (credentialStatus.id): valid or revoked, from the record, now.
import { error, json } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { siteAt, statusOf } from '$lib/server/certificates/documents';
import { certificateByCode } from '$lib/server/certificates/records';
import { limitVerification } from '$lib/server/http/verification-limit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { params } = event;
	const cert = await certificateByCode(params.code);
	if (!cert) {
		await limitVerification(event);
		error(404, 'Not found');
	}
	return json(statusOf(cert, siteAt(await publicAddress())), {
		headers: { 'Cache-Control': 'public, max-age=60', 'X-Robots-Tag': 'noindex' }
	});
};
