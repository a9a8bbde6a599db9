// Compressed answers (brotli or gzip, as the client accepts) for what is worth compressing:
// pages, __data.json and other JSON, SVG, scripts and styles (`compression` decides by
// Content-Type and skips small bodies). PDFs, PNGs and fonts are compressed already.
import zlib from 'node:zlib';
import compression from 'compression';

export function compress() {
	return compression({
		// SvelteKit streams a page's awaited data after its first chunk; flushing each write keeps
		// that streaming, at a small cost in size.
		flush: zlib.constants.Z_SYNC_FLUSH,
		brotli: { flush: zlib.constants.BROTLI_OPERATION_FLUSH }
	});
}
