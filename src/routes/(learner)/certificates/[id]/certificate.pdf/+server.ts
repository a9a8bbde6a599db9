// The holder's certificate as a PDF, made from the record on each download; none once revoked.
import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http/guards';
import { publicAddress } from '$lib/server/site/address';
import {
	documentsWithheld,
	pdfNameProblem,
	pdfOf,
	siteAt
} from '$lib/server/certificates/documents';
import { ownCertificate } from '$lib/server/certificates/records';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const cert = await ownCertificate(requireUser(), params.id);
	if (!cert) error(404, 'Certificate not found');
	const withheld = documentsWithheld(cert);
	if (withheld) error(410, withheld);
	const unprintable = pdfNameProblem(cert);
	if (unprintable) error(409, unprintable);
	const pdf = await pdfOf(cert, siteAt(await publicAddress()));
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="certificate-${cert.courseId}.pdf"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
