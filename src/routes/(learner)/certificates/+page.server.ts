import { requireUser } from '$lib/server/http/guards';
import { siteAddress } from '$lib/server/site/address';
import {
	documentsWithheld,
	linkedInUrlOf,
	pdfNameProblem,
	siteAt,
	urlsOf
} from '$lib/server/certificates/documents';
import { certificatesOf } from '$lib/server/certificates/records';
import { certificateFileUrl } from '$lib/routes';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const user = requireUser();
	const [address, list] = await Promise.all([siteAddress(), certificatesOf(user.id)]);
	const site = siteAt(address.url);
	return {
		// Links on a loopback address open only on the machine the site runs on.
		onlyThisMachine: address.loopback,
		// Set by the submit that completed a course, so this page can say so at that moment.
		justEarned: url.searchParams.get('earned'),
		certificates: list.map((c) => {
			// Say why a document is not offered, rather than link to a refusal.
			const withheld = documentsWithheld(c);
			const pdfProblem = withheld ? null : pdfNameProblem(c);
			return {
				id: c.id,
				courseTitle: c.courseTitle,
				courseVersion: c.courseVersion,
				holderName: c.holderName,
				completedAt: c.completedAt.toISOString(),
				scorePercent: c.scorePercent,
				code: c.code,
				verificationUrl: urlsOf(c, site).verificationUrl,
				pdfUrl: withheld || pdfProblem ? null : certificateFileUrl(c.id, 'pdf'),
				credentialUrl: withheld ? null : certificateFileUrl(c.id, 'credential'),
				credentialLdUrl: withheld ? null : certificateFileUrl(c.id, 'credential-ld'),
				linkedInUrl: withheld ? null : linkedInUrlOf(c, site),
				revoked: c.revokedAt !== null,
				withheld,
				pdfProblem
			};
		})
	};
}) satisfies PageServerLoad;
