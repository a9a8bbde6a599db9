// The holder's Open Badges 3.0 credential (a VC-JWT), signed on each download; none once revoked.
import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http/guards';
import { publicAddress } from '$lib/server/site/address';
import { credentialOf, documentsWithheld, siteAt } from '$lib/server/certificates/documents';
import { ownCertificate } from '$lib/server/certificates/records';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const cert = await ownCertificate(requireUser(), params.id);
	if (!cert) error(404, 'Certificate not found');
	const withheld = documentsWithheld(cert);
	if (withheld) error(410, withheld);
	const jwt = await credentialOf(cert, siteAt(await publicAddress()));
	return new Response(jwt, {
		headers: {
			'Content-Type': 'application/vc+jwt',
			'Content-Disposition': `attachment; filename="credential-${cert.courseId}.jwt"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
