// The issuer's Open Badges profile (the credentials' issuer.id).
import { json } from '@sveltejs/kit';
import { publicOrigin } from '$lib/server/config';
import { issuerDocument, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) =>
	json(issuerDocument(siteAt(publicOrigin(url.origin))), {
		headers: { 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' }
	});
