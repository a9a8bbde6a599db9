// A time limit on each request's body. Node cuts slow headers (HEADERS_TIMEOUT) but lets a body
// trickle in for its requestTimeout (300 s, checked every 30 s): a few hundred clients sending a
// byte now and then would hold every connection and every worker's memory. A body still
// arriving BODY_TIMEOUT seconds after its headers is answered 408 (when nothing was answered
// yet) and its connection is cut.

/**
 * BODY_TIMEOUT in seconds, as the other timeouts; unset → 30, 0 → no limit.
 * @param {string | undefined} value
 */
export function bodyTimeoutMs(value) {
	if (value === undefined || value.trim() === '') return 30_000;
	const seconds = Number(value);
	if (!Number.isFinite(seconds) || seconds < 0) {
		console.error(
			`BODY_TIMEOUT must be a number of seconds (0 for no limit), not "${value}". Using 30.`
		);
		return 30_000;
	}
	return seconds * 1000;
}

const MESSAGE = 'The request body took too long to arrive. Please send it again.\n';

/** @param {number} limitMs */
export function limitBodyTime(limitMs) {
	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	return (req, res) => {
		if (!(limitMs > 0) || req.complete) return;
		const length = Number(req.headers['content-length']);
		if (req.headers['transfer-encoding'] === undefined && !(length > 0)) return;
		const timer = setTimeout(() => {
			if (req.complete) return;
			const socket = req.socket;
			if (res.headersSent) {
				socket.destroy();
				return;
			}
			res.writeHead(408, {
				'content-type': 'text/plain; charset=utf-8',
				'content-length': Buffer.byteLength(MESSAGE),
				connection: 'close'
			});
			// The app may still be waiting for this body; what it answers later goes nowhere.
			res.end(MESSAGE, () => socket.destroy());
			setTimeout(() => socket.destroy(), 1000).unref();
		}, limitMs);
		timer.unref();
		// On the request, not its socket: a kept-alive socket would gather one listener per request.
		const done = () => clearTimeout(timer);
		req.once('end', done);
		req.once('close', done);
	};
}
