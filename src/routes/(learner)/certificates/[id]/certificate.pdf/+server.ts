// The holder's certificate as a PDF, made from the record on each download.
import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http/guards';
import { publicAddress } from '$lib/server/site/address';
import { pdfOf, siteAt } from '$lib/server/certificates/documents';
import { ownCertificate } from '$lib/server/certificates/records';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const cert = await ownCertificate(requireUser(), params.id);
	if (!cert) error(404, 'Certificate not found');
	const pdf = await pdfOf(cert, siteAt(await publicAddress()));
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="certificate-${cert.courseId}.pdf"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
