// Cross-origin reads of the public verification resources, so a verifier running in someone
// else's page (a wallet, an employer's checker) can fetch the issuer profile, the keys, the
// status lists and a certificate's status. Every answer carries the header, its 404s and 429s
// included (a browser hides a response without it, leaving the verifier unable to tell "unknown"
// from "blocked"), and OPTIONS preflights are answered here. Nothing else on the site is shared.
import type { Handle } from '@sveltejs/kit';

const PUBLIC_VERIFICATION = [
	/^\/issuer\/?$/,
	/^\/\.well-known\/jwks\.json$/,
	/^\/keys(\/|$)/,
	/^\/status-lists(\/|$)/,
	/^\/verify\/[^/]+\/status\/?$/
];

export const isPublicVerificationPath = (pathname: string) =>
	PUBLIC_VERIFICATION.some((pattern) => pattern.test(pathname));

const CORS_HEADERS = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Expose-Headers': 'ETag, Cache-Control, Content-Type'
};

export const verificationCors: Handle = async ({ event, resolve }) => {
	if (!isPublicVerificationPath(event.url.pathname)) return resolve(event);
	if (event.request.method === 'OPTIONS')
		return new Response(null, {
			status: 204,
			headers: {
				...CORS_HEADERS,
				'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
				'Access-Control-Allow-Headers':
					event.request.headers.get('access-control-request-headers') ?? '',
				'Access-Control-Max-Age': '86400'
			}
		});
	const response = await resolve(event);
	for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
	return response;
};
