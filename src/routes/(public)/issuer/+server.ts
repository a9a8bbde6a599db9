// The issuer's Open Badges profile (the credentials' issuer.id).
import { json } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { issuerDocument, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () =>
	json(issuerDocument(siteAt(await publicAddress())), {
		headers: { 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' }
	});
