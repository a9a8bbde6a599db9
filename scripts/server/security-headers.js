// The security headers of every response: pages, SvelteKit's own error answers (a 401 or 404
// thrown by the access guard, the CSRF 403, a 413), static files and /_app assets. The
// SvelteKit handle hook cannot do this: static files never reach it, and an error thrown by an
// earlier hook skips the later ones.
import { beforeHeaders } from './before-headers.js';

/** @type {Record<string, string>} */
const EVERY_RESPONSE = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(), microphone=(), geolocation=()'
};

// Pages carry SvelteKit's nonce-based policy (kit.csp). Anything else (its plain error page, a
// static SVG opened on its own) gets one under which nothing runs, loads or frames it; the
// inline style is the error page's own.
const FALLBACK_CSP = [
	"default-src 'none'",
	"img-src 'self' data:",
	"style-src 'unsafe-inline'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join('; ');

// One year, subdomains included (ASVS 5.0 V3.4.1). Browsers ignore it over plain http.
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * @param {{ origin?: string, protocolHeader?: string }} site adapter-node's ORIGIN and
 *   PROTOCOL_HEADER, which decide the origin SvelteKit sees (https when neither is set).
 */
export function securityHeaders({ origin, protocolHeader }) {
	const originIsHttps = origin ? new URL(origin).protocol === 'https:' : undefined;
	const header = protocolHeader?.toLowerCase();
	/** @param {import('node:http').IncomingMessage} req */
	const isHttps = (req) =>
		originIsHttps ?? ((header && [req.headers[header]].flat()[0]) || 'https') === 'https';

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	return (req, res) => {
		for (const [name, value] of Object.entries(EVERY_RESPONSE)) res.setHeader(name, value);
		if (isHttps(req)) res.setHeader('strict-transport-security', HSTS);
		beforeHeaders(res, () => {
			if (!res.hasHeader('content-security-policy'))
				res.setHeader('content-security-policy', FALLBACK_CSP);
		});
	};
}
