// The public key certificates are signed with, so anyone can verify them without asking us.
import { json } from '@sveltejs/kit';
import { publicOrigin } from '$lib/server/config';
import { jwks, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) =>
	json(await jwks(siteAt(publicOrigin(url.origin))), {
		headers: { 'Cache-Control': 'public, max-age=3600' }
	});
