// RFC 8058 one-click unsubscribe: a mail program POSTs `List-Unsubscribe=One-Click` to the
// List-Unsubscribe URL, from its own servers, with no session and no Origin. SvelteKit refuses
// every cross-site form post before any hook runs, so this one URL is answered here, ahead of
// it; the unsubscribe token in the URL is the proof (DESIGN §4). A same-site post (the page's
// own button, which sends its Origin) still goes to SvelteKit.

/** Set by the app at start (src/lib/server/mail/one-click.ts): token → whether it was known. */
export const ONE_CLICK_UNSUBSCRIBE = Symbol.for('platform:one-click-unsubscribe');
const PATH = /^\/unsubscribe\/([A-Za-z0-9_-]{1,200})\/?$/;
const BODY_LIMIT = 8 * 1024;

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @returns {boolean} whether the request was a one-click unsubscribe (and is being answered)
 */
export function answerOneClickUnsubscribe(req, res) {
	if (req.method !== 'POST') return false;
	const match = PATH.exec(req.url ?? '');
	if (!match) return false;
	if (sameSite(req)) return false;
	/** @type {((token: string) => Promise<boolean>) | undefined} */
	const unsubscribe = /** @type {any} */ (globalThis)[ONE_CLICK_UNSUBSCRIBE];
	if (!unsubscribe) return false;
	const token = /** @type {string} */ (match[1]);
	void readBody(req).then(async (body) => {
		const reply = (/** @type {number} */ status, /** @type {string} */ text) => {
			res.statusCode = status;
			res.setHeader('Content-Type', 'text/plain; charset=utf-8');
			res.setHeader('Cache-Control', 'no-store');
			res.end(text + '\n');
		};
		if (body === null) return reply(413, 'The request body is too large.');
		if (!(await isOneClick(req, body)))
			return reply(400, 'Send List-Unsubscribe=One-Click as a form to unsubscribe.');
		try {
			if (await unsubscribe(token)) reply(200, 'Unsubscribed: no more reminder emails.');
			else reply(404, 'This unsubscribe link is not valid.');
		} catch (error) {
			console.error('One-click unsubscribe failed:', error);
			reply(503, 'Could not unsubscribe right now. Try again later.');
		}
	});
	return true;
}

/** @param {import('node:http').IncomingMessage} req */
function sameSite(req) {
	const origin = req.headers.origin;
	if (!origin || origin === 'null') return false;
	try {
		return new URL(origin).host === req.headers.host;
	} catch {
		return false;
	}
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | null>} null when over the limit
 */
function readBody(req) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > BODY_LIMIT) {
				resolve(null);
				req.resume();
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve(size > BODY_LIMIT ? null : Buffer.concat(chunks)));
		req.on('error', () => resolve(null));
	});
}

/**
 * The body is a form (urlencoded or multipart, as RFC 8058 allows) with
 * List-Unsubscribe=One-Click.
 * @param {import('node:http').IncomingMessage} req @param {Buffer} body
 */
async function isOneClick(req, body) {
	const type = req.headers['content-type'] ?? '';
	if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return false;
	try {
		const form = await new Response(new Uint8Array(body), {
			headers: { 'content-type': type }
		}).formData();
		return form.get('List-Unsubscribe') === 'One-Click';
	} catch {
		return false;
	}
}
