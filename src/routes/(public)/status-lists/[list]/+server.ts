// A revocation list (W3C Bitstring Status List): a signed BitstringStatusListCredential whose bit
// at a certificate's statusListIndex is set once it is revoked. Public, cacheable for
// STATUS_LIST_TTL_SECONDS with an ETag, readable cross-origin (see http/cors.ts).
import { createHash } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { siteAt, STATUS_LIST_TTL_SECONDS, statusListOf } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, request }) => {
	const list = /^[1-9]\d{0,5}$/.test(params.list) ? Number(params.list) : null;
	const document = list && (await statusListOf(siteAt(await publicAddress()), list));
	if (!document) error(404, 'There is no status list with that number.');
	const body = JSON.stringify(document);
	const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
	const headers = {
		'Content-Type': 'application/json',
		'Cache-Control': `public, max-age=${STATUS_LIST_TTL_SECONDS}`,
		ETag: etag
	};
	if (request.headers.get('if-none-match') === etag)
		return new Response(null, { status: 304, headers });
	return new Response(body, { headers });
};
