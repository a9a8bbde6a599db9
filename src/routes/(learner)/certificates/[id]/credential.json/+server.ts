// The holder's credential as JSON-LD with an embedded Data Integrity proof (eddsa-rdfc-2022), for
// VC wallets; signed on each download, none once revoked.
import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http/guards';
import { publicAddress } from '$lib/server/site/address';
import {
	documentsWithheld,
	embeddedCredentialOf,
	siteAt
} from '$lib/server/certificates/documents';
import { ownCertificate } from '$lib/server/certificates/records';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const cert = await ownCertificate(requireUser(), params.id);
	if (!cert) error(404, 'Certificate not found');
	const withheld = documentsWithheld(cert);
	if (withheld) error(410, withheld);
	const credential = await embeddedCredentialOf(cert, siteAt(await publicAddress()));
	return new Response(JSON.stringify(credential, null, 2) + '\n', {
		headers: {
			'Content-Type': 'application/vc+ld+json',
			'Content-Disposition': `attachment; filename="credential-${cert.courseId}.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
