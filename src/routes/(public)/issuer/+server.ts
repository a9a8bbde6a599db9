// The issuer's Open Badges profile (the credentials' issuer.id), which also lists the key of the
// embedded proofs. Readable cross-origin (http/cors.ts).
import { json } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { issuerDocument, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () =>
	json(await issuerDocument(siteAt(await publicAddress())), {
		headers: { 'Cache-Control': 'public, max-age=3600' }
	});
