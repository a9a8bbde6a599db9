// The holder's Open Badges 3.0 credential (a VC-JWT), signed on each download.
import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http/guards';
import { publicAddress } from '$lib/server/site/address';
import { credentialOf, siteAt } from '$lib/server/certificates/documents';
import { ownCertificate } from '$lib/server/certificates/records';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const cert = await ownCertificate(requireUser(), params.id);
	if (!cert) error(404, 'Certificate not found');
	const jwt = await credentialOf(cert, siteAt(await publicAddress()));
	return new Response(jwt, {
		headers: {
			'Content-Type': 'application/vc+jwt',
			'Content-Disposition': `attachment; filename="credential-${cert.courseId}.jwt"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
