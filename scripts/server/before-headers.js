// Runs a function once, just before a response's status line and headers go out, whoever
// writes them: SvelteKit's setResponse, the static file server, or Node itself on the first
// write. Node has no event for that moment, so writeHead is wrapped (as `on-headers` does).

/**
 * @param {import('node:http').ServerResponse} res
 * @param {() => void} fn sees (and may change) the final headers
 */
export function beforeHeaders(res, fn) {
	const writeHead = res.writeHead;
	/**
	 * @param {number} status
	 * @param {string | import('node:http').OutgoingHttpHeaders | import('node:http').OutgoingHttpHeader[]} [reasonOrHeaders]
	 * @param {import('node:http').OutgoingHttpHeaders | import('node:http').OutgoingHttpHeader[]} [maybeHeaders]
	 */
	function wrapped(status, reasonOrHeaders, maybeHeaders) {
		res.writeHead = writeHead;
		const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
		const headers = typeof reasonOrHeaders === 'string' ? maybeHeaders : reasonOrHeaders;
		// Headers handed to writeHead override earlier ones; merge them first, exactly as Node
		// does, so that fn sees what will be sent.
		if (Array.isArray(headers)) {
			for (let i = 0; i < headers.length; i += 2) res.removeHeader(String(headers[i]));
			for (let i = 0; i < headers.length; i += 2)
				if (headers[i])
					res.appendHeader(String(headers[i]), /** @type {string} */ (headers[i + 1]));
		} else if (headers) {
			for (const [name, value] of Object.entries(headers))
				if (value !== undefined) res.setHeader(name, value);
		}
		res.statusCode = status;
		fn();
		return /** @type {(status: number, reason?: string) => typeof res} */ (writeHead).call(
			res,
			res.statusCode,
			reason
		);
	}
	res.writeHead = /** @type {typeof res.writeHead} */ (/** @type {unknown} */ (wrapped));
}
