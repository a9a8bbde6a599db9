// Compressed answers (brotli or gzip, as the client accepts) for what is worth compressing:
// pages, __data.json and other JSON, SVG, scripts and styles (`compression` decides by
// Content-Type and skips small bodies). PDFs, PNGs and fonts are compressed already.
import zlib from 'node:zlib';
import compression from 'compression';

/**
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void}
 */
export function compress() {
	// `compression` is typed for Express; it only needs Node's request and response.
	return /** @type {any} */ (compression)({
		// SvelteKit streams a page's awaited data after its first chunk; flushing each write keeps
		// that streaming, at a small cost in size.
		flush: zlib.constants.Z_SYNC_FLUSH,
		brotli: { flush: zlib.constants.BROTLI_OPERATION_FLUSH }
	});
}
