// GET /metrics, answered ahead of SvelteKit: Prometheus text from prom-client, summed over every
// worker (the primary's AggregatorRegistry gathers them over the cluster's IPC channel). Shown
// only with METRICS_TOKEN as a bearer token, or to a loopback client that came through no proxy;
// anyone else gets the site's plain 404, as if there were nothing here.
import cluster from 'node:cluster';
import { timingSafeEqual } from 'node:crypto';
import client from 'prom-client';

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host'];
const REQUEST = 'platform:metrics-request';
const REPLY = 'platform:metrics-reply';

// A worker answers the primary's requests for its figures only once an AggregatorRegistry
// exists in it (prom-client adds its listener then).
if (cluster.isWorker) new client.AggregatorRegistry();

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {NodeJS.ProcessEnv} env
 */
export function mayReadMetrics(req, env) {
	const token = env.METRICS_TOKEN?.trim();
	const auth = req.headers.authorization ?? '';
	if (token && auth.startsWith('Bearer ')) {
		const given = Buffer.from(auth.slice(7).trim());
		const wanted = Buffer.from(token);
		if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true;
	}
	const from = req.socket.remoteAddress ?? '';
	const loopback = from === '::1' || from.startsWith('127.') || from.startsWith('::ffff:127.');
	const addressHeader = env.ADDRESS_HEADER?.trim().toLowerCase();
	const proxied = [...FORWARDING_HEADERS, ...(addressHeader ? [addressHeader] : [])].some(
		(h) => req.headers[h] !== undefined
	);
	return loopback && !proxied;
}

/** The metrics text: the whole cluster's from a worker, this process's otherwise. */
function gather() {
	if (!cluster.isWorker) return client.register.metrics();
	return new Promise((resolve, reject) => {
		const id = `${process.pid}-${Date.now()}-${Math.random()}`;
		const timer = setTimeout(() => {
			process.off('message', onReply);
			reject(new Error('The primary did not answer for the metrics.'));
		}, 5_000);
		/** @param {any} message */
		function onReply(message) {
			if (message?.type !== REPLY || message.id !== id) return;
			clearTimeout(timer);
			process.off('message', onReply);
			if (message.error) reject(new Error(message.error));
			else resolve(message.text);
		}
		process.on('message', onReply);
		process.send?.({ type: REQUEST, id });
	});
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {NodeJS.ProcessEnv} env
 * @returns {boolean} whether the request was /metrics (and has been answered)
 */
export function answerMetrics(req, res, env) {
	if (req.url?.split('?')[0] !== '/metrics') return false;
	if (req.method !== 'GET' || !mayReadMetrics(req, env)) {
		res.statusCode = 404;
		res.end('Not Found');
		return true;
	}
	gather().then(
		(text) => {
			res.setHeader('Content-Type', client.register.contentType);
			res.setHeader('Cache-Control', 'no-store');
			res.end(text);
		},
		(error) => {
			console.error('Could not gather the metrics:', error);
			res.statusCode = 503;
			res.end('Metrics unavailable');
		}
	);
	return true;
}

/** In the primary: answers the workers' requests with the whole cluster's metrics. */
export function serveClusterMetrics() {
	const registry = new client.AggregatorRegistry();
	cluster.on('message', (worker, message) => {
		if (message?.type !== REQUEST) return;
		registry.clusterMetrics().then(
			(text) => worker.send({ type: REPLY, id: message.id, text }),
			(error) => worker.send({ type: REPLY, id: message.id, error: String(error) })
		);
	});
}
