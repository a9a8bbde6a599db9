// One signing key at its own URL, as a JWK (the kid of the credentials it signed), and for the
// Ed25519 key also its Multikey verification method. Public, cacheable, readable cross-origin.
import { error, json } from '@sveltejs/kit';
import { publicAddress } from '$lib/server/site/address';
import { keyDocument, siteAt } from '$lib/server/certificates/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const document = /^[\w.-]{1,100}$/.test(params.kid)
		? await keyDocument(siteAt(await publicAddress()), params.kid)
		: null;
	if (!document) error(404, 'This site publishes no key with that id.');
	return json(document, {
		headers: {
			'Content-Type': 'application/jwk+json',
			'Cache-Control': 'public, max-age=3600'
		}
	});
};
