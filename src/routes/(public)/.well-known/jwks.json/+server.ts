// The public key certificates are signed with, so anyone can verify them without asking us.
import { json } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { jwks, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () =>
	json(await jwks(siteAt(await publicAddress())), {
		headers: { 'Cache-Control': 'public, max-age=3600' }
	});
