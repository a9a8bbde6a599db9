// Request bodies the app never read. An action that ignores its form (enrol, log out, …) or a
// 413 answers while the body is still arriving; SvelteKit has paused the request, so Node
// stops reading the connection, and the client's next request on it is never parsed. After
// the answer, what is left of a body within the size limit is read and thrown away (as Node
// does for requests nobody listened to), keeping the connection. A larger or open-ended one
// is not worth reading: the answer says `Connection: close`.
import { beforeHeaders } from './before-headers.js';

// How long a closing connection keeps reading what the client still sends (see lingerOnClose).
const LINGER_MS = 5_000;

/**
 * adapter-node's BODY_SIZE_LIMIT syntax: bytes, or a number with K, M or G.
 * @param {string} value
 */
export function parseByteSize(value) {
	const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[value.slice(-1).toUpperCase()];
	return unit ? Number(value.slice(0, -1)) * unit : Number(value);
}

/** @param {number} limit the largest body the app accepts */
export function discardUnreadBody(limit) {
	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	return (req, res) => {
		const length = Number(req.headers['content-length']);
		if (req.headers['transfer-encoding'] === undefined && !(length > 0)) return;
		beforeHeaders(res, () => {
			if (req.complete || length <= limit) return;
			res.setHeader('connection', 'close');
			lingerOnClose(req.socket);
		});
		res.once('finish', () => {
			if (req.complete) return;
			// The app is done with this request: drop its readers, which would pause it again.
			req.removeAllListeners('data');
			req.resume();
		});
	};
}

/**
 * Closing a connection while the client is still sending makes its system answer with a
 * reset, which can destroy our answer before the client reads it. So, as nginx's lingering
 * close does, end our side only, throw away what still arrives, and close once the client has
 * (or after LINGER_MS). Node ends a `Connection: close` response's socket with destroySoon().
 * @param {import('node:net').Socket} socket
 */
function lingerOnClose(socket) {
	socket.destroySoon = () => {
		socket.end();
		const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
		socket.once('close', () => clearTimeout(timer));
	};
}
