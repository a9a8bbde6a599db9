// An image file as an HTTP answer that browsers may keep and then revalidate: an ETag from the
// content, and 304 without a body when the browser's copy is still the current one.
import { createHash } from 'node:crypto';

export function fileResponse(
	request: Request,
	body: Buffer,
	type: string,
	cacheControl: string
): Response {
	const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
	const headers = { ETag: etag, 'Cache-Control': cacheControl };
	if (matches(request.headers.get('if-none-match'), etag))
		return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(body), {
		headers: {
			...headers,
			'Content-Type': type,
			// An SVG opened directly must not run script.
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
}

/** If-None-Match as RFC 9110 compares it: weakly, against a list or `*`. */
function matches(header: string | null, etag: string) {
	if (!header) return false;
	if (header.trim() === '*') return true;
	return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
