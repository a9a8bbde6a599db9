// The issuer's Open Badges profile (the credentials' issuer.id), which also lists the key of the
// embedded proofs. Readable cross-origin (http/cors.ts).
import { json } from '@sveltejs/kit';
import { publicOrigin } from '$lib/server/config';
import { issuerDocument, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) =>
	json(await issuerDocument(siteAt(publicOrigin(url.origin))), {
		headers: { 'Cache-Control': 'public, max-age=3600' }
	});
