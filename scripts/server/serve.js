// The production HTTP server: adapter-node's request handler (build/handler.js) on node:http,
// with what every response needs around it (security headers, unread bodies, compression), and
// adapter-node's graceful shutdown. It stands in for build/index.js, whose server offers no
// place to hook in before the static files and SvelteKit answer.
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bodyTimeoutMs, limitBodyTime } from './body-timeout.js';
import { compress } from './compress.js';
import { answerMetrics } from './metrics.js';
import { answerOneClickUnsubscribe } from './one-click-unsubscribe.js';
import { securityHeaders } from './security-headers.js';
import { discardUnreadBody, parseByteSize } from './unread-body.js';

/**
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => unknown} Handler
 */

/**
 * Loads the build (which opens the database and the courses) and serves it. Settings are
 * adapter-node's: HOST, PORT, SOCKET_PATH, ORIGIN, PROTOCOL_HEADER, BODY_SIZE_LIMIT,
 * SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT, HEADERS_TIMEOUT; and BODY_TIMEOUT (body-timeout.js).
 * In a cluster worker (scripts/server/cluster.js) the primary has checked the port and says
 * "Ready" once for all workers: `worker` skips both here.
 * @param {string} buildDir
 */
export async function serve(buildDir, env = process.env, { direct = false, worker = false } = {}) {
	// Direct (no proxy): every request is plain http, whatever a client claims in this header.
	if (direct) env.PROTOCOL_HEADER = DIRECT_PROTOCOL_HEADER;
	const socketPath = env.SOCKET_PATH;
	const host = env.HOST ?? '0.0.0.0';
	const port = Number(env.PORT ?? 3000);
	// Before the build is loaded (which starts the database): a taken port is a one-line refusal.
	if (!socketPath && !worker) await requireFreePort(host, port);
	/** @type {{ handler: Handler }} */
	const { handler } = await import(pathToFileURL(path.join(buildDir, 'handler.js')).href);
	const secure = securityHeaders({ origin: env.ORIGIN, protocolHeader: env.PROTOCOL_HEADER });
	const discard = discardUnreadBody(parseByteSize(env.BODY_SIZE_LIMIT ?? '512K'));
	const compressed = compress();
	const bodyTime = limitBodyTime(bodyTimeoutMs(env.BODY_TIMEOUT));

	const server = http.createServer((req, res) => {
		if (direct) req.headers[DIRECT_PROTOCOL_HEADER] = 'http';
		secure(req, res);
		bodyTime(req, res);
		discard(req, res);
		if (answerMetrics(req, res, env) || answerOneClickUnsubscribe(req, res)) return;
		compressed(req, res, () =>
			Promise.resolve(handler(req, res, () => notFound(res))).catch((error) => {
				console.error(error);
				if (!res.headersSent) {
					res.statusCode = 500;
					res.end('Internal Server Error');
				} else res.destroy();
			})
		);
	});
	if (env.KEEP_ALIVE_TIMEOUT) server.keepAliveTimeout = Number(env.KEEP_ALIVE_TIMEOUT) * 1000;
	if (env.HEADERS_TIMEOUT) server.headersTimeout = Number(env.HEADERS_TIMEOUT) * 1000;
	handleShutdown(server, Number(env.SHUTDOWN_TIMEOUT ?? 30) * 1000);

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(socketPath ? { path: socketPath } : { host, port }, () => resolve(undefined));
	});
	const address = server.address();
	if (worker) return server;
	if (typeof address === 'object' && address) console.log(openLine(host, address.port, env.ORIGIN));
	else console.log(`Listening on ${address}`);
	return server;
}

const DIRECT_PROTOCOL_HEADER = 'x-forwarded-proto';

/**
 * Exits with a clear line when the port cannot be had (another program has it, or it needs
 * privileges), instead of a stack trace after the database was started.
 * @param {string} host @param {number} port
 */
export async function requireFreePort(host, port) {
	const probe = http.createServer();
	const problem = await new Promise((resolve) => {
		probe.once('error', (/** @type {NodeJS.ErrnoException} */ e) => resolve(e));
		probe.listen({ host, port }, () => probe.close(() => resolve(null)));
	});
	if (!problem) return;
	const code = /** @type {NodeJS.ErrnoException} */ (problem).code;
	console.error(
		code === 'EADDRINUSE'
			? `Port ${port} is already in use by another program. Stop it, or set PORT to a free port.`
			: `Cannot listen on ${host}:${port} (${code}). Set PORT (and HOST) to an address this user may use.`
	);
	process.exit(1);
}

/**
 * Where to open the site: ORIGIN when set, else localhost and, when listening on every
 * interface, this machine's LAN address(es), never 0.0.0.0.
 * @param {string} host @param {number} port @param {string | undefined} origin
 */
export function openLine(host, port, origin) {
	if (origin) return `Ready: open ${origin} (listening on ${host}:${port})`;
	const everywhere = host === '0.0.0.0' || host === '::';
	const lan = everywhere
		? Object.values(os.networkInterfaces())
				.flat()
				.filter((i) => i && i.family === 'IPv4' && !i.internal)
				.map((i) => `http://${i?.address}:${port}`)
		: [];
	const local = everywhere || host === '127.0.0.1' || host === 'localhost' ? 'localhost' : host;
	const others = lan.length ? ` (from other devices: ${lan.join(', ')})` : '';
	return `Ready: open http://${local}:${port}${others}`;
}

/** @param {http.ServerResponse} res */
function notFound(res) {
	res.statusCode = 404;
	res.end('Not Found');
}

/**
 * As adapter-node: on SIGINT or SIGTERM stop accepting connections, let requests in flight
 * finish, then emit `sveltekit:shutdown`, on which the app closes its database. Connections
 * still busy after the timeout are cut. Unlike adapter-node, idle keep-alive connections are
 * closed only after a short grace: a request already sent but not yet read counts as "idle" to
 * node:http, and closing at once reset it (the workers process test caught it). Meanwhile every
 * response says `Connection: close`, so each connection ends after the request it carries.
 * @param {http.Server} server
 * @param {number} timeoutMs
 */
function handleShutdown(server, timeoutMs) {
	/** @type {NodeJS.Timeout | undefined} */
	let forceClose;
	/** @type {NodeJS.Timeout | undefined} */
	let idleSweep;
	/** @param {NodeJS.Signals} reason */
	function shutdown(reason) {
		if (forceClose) return;
		lastConnection = Date.now();
		forceClose = setTimeout(() => server.closeAllConnections(), timeoutMs);
		idleSweep = setInterval(() => server.closeIdleConnections(), SHUTDOWN_GRACE_MS);
		// Connections the kernel has queued but a busy event loop has not yet accepted would be
		// reset: keep accepting until none came for a moment (at most a second). Then stop
		// listening with net.Server's close, not http.Server's, which also closes "idle"
		// connections at once: those include accepted ones whose request is not parsed yet.
		const began = Date.now();
		const quiet = setInterval(() => {
			const now = Date.now();
			if (now - lastConnection < ACCEPT_QUIET_MS && now - began < ACCEPT_LIMIT_MS) return;
			clearInterval(quiet);
			net.Server.prototype.close.call(server, (error) => {
				clearTimeout(forceClose);
				clearInterval(idleSweep);
				if (!error)
					/** @type {NodeJS.EventEmitter} */ (process).emit('sveltekit:shutdown', reason);
			});
		}, ACCEPT_QUIET_MS / 2);
	}
	let lastConnection = 0;
	server.on('connection', () => (lastConnection = Date.now()));
	server.on('request', (_req, res) => {
		if (forceClose) res.shouldKeepAlive = false;
	});
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);
}

const ACCEPT_QUIET_MS = 100;
const ACCEPT_LIMIT_MS = 1_000;
// How long a connection may stay idle once shutdown began: enough for requests already sent to
// be read.
const SHUTDOWN_GRACE_MS = 500;
