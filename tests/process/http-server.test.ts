// The HTTP server as users run it (`npm start`), behind an https origin: HSTS on every kind of
// response, connections that survive request bodies the app never reads, compressed answers,
// and course media a browser may keep.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

const ORIGIN = 'https://learn.example.test';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-http-'));
fs.chmodSync(dataDir, 0o755);
let server: RunningServer;

beforeAll(async () => {
	// The site's public address is https (a proxy in front); the test talks to it directly.
	server = await startServer(dataDir, { ORIGIN });
});

afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	reusedSocket: boolean;
	ms: number;
}

/** One request through `agent`, failing after `timeoutMs` rather than waiting for a reset. */
function send(
	agent: http.Agent,
	method: string,
	pathname: string,
	{
		body,
		headers = {},
		timeoutMs = 3000
	}: { body?: Buffer; headers?: http.OutgoingHttpHeaders; timeoutMs?: number } = {}
): Promise<Answer> {
	const { port } = new URL(server.url);
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				agent,
				host: '127.0.0.1',
				port,
				method,
				path: pathname,
				timeout: timeoutMs,
				headers: {
					origin: ORIGIN,
					accept: 'text/html',
					...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
					...headers
				}
			},
			(res) => {
				res.resume();
				res.on('end', () =>
					resolve({
						status: res.statusCode!,
						headers: res.headers,
						reusedSocket: req.reusedSocket,
						ms: Date.now() - started
					})
				);
			}
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

describe('Strict-Transport-Security', () => {
	it('is sent on every kind of response when the origin is https', async () => {
		const agent = new http.Agent();
		const answers = {
			page: await send(agent, 'GET', '/login'),
			staticFile: await send(agent, 'GET', '/favicon.svg'),
			asset: await send(agent, 'GET', '/_app/version.json'),
			unknownRoute: await send(agent, 'GET', '/no-such-page'),
			guard401: await send(agent, 'POST', '/account?/profile', { body: Buffer.from('name=x') }),
			csrf403: await send(agent, 'POST', '/login', {
				body: Buffer.from('email=x'),
				headers: { origin: 'https://evil.example' }
			})
		};
		expect(Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, a.status]))).toEqual({
			page: 200,
			staticFile: 200,
			asset: 200,
			unknownRoute: 404,
			guard401: 401,
			csrf403: 403
		});
		for (const [kind, answer] of Object.entries(answers))
			expect(answer.headers['strict-transport-security'], kind).toBe(
				'max-age=31536000; includeSubDomains'
			);
		agent.destroy();
	});
});

describe('a request body the app never reads', () => {
	// Actions that answer without reading the form: log out, and enrol while logged out.
	const unread = ['/logout', '/courses/hip-flexor-pain?/enrol'];

	it.each(unread)('leaves the connection usable for the next request (%s)', async (action) => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const first = await send(agent, 'POST', action, { body: Buffer.alloc(200 * 1024, 'a') });
			expect(first.status).toBe(303);
			expect(first.headers.connection).toBe('keep-alive');
			const second = await send(agent, 'GET', '/healthz');
			expect(second.status).toBe(200);
			expect(second.reusedSocket).toBe(true);
			expect(second.ms).toBeLessThan(1000);
		} finally {
			agent.destroy();
		}
	});

	it('over the size limit, is answered with Connection: close that the client can read', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			// 3 MB against `npm start`'s 2 MB limit: refused unread, and not worth reading.
			const first = await send(agent, 'POST', '/login', { body: Buffer.alloc(3 * 1024 ** 2, 'a') });
			expect(first.status).toBe(413);
			expect(first.headers.connection).toBe('close');
			const second = await send(agent, 'GET', '/healthz');
			expect(second.status).toBe(200);
			expect(second.reusedSocket).toBe(false);
		} finally {
			agent.destroy();
		}
	});
});

/** A GET through a fresh connection, with the body as sent (still compressed). */
function fetchRaw(
	pathname: string,
	headers: http.OutgoingHttpHeaders = {}
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
	const { port } = new URL(server.url);
	return new Promise((resolve, reject) => {
		const req = http.get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) })
			);
		});
		req.on('error', reject);
	});
}

const decode = (encoding: string | undefined, body: Buffer) =>
	encoding === 'br'
		? zlib.brotliDecompressSync(body).toString()
		: encoding === 'gzip'
			? zlib.gunzipSync(body).toString()
			: body.toString();

describe('compression', () => {
	const kinds = {
		page: ['/courses', '<!doctype html>'],
		pageData: ['/courses/hip-flexor-pain/__data.json', '"type":"data"'],
		svg: ['/courses/hip-flexor-pain/cover', '<svg']
	} as const;

	it.each(Object.entries(kinds))(
		'sends %s brotli- or gzip-compressed as the client accepts, with the usual headers',
		async (_kind, [pathname, marker]) => {
			for (const [accept, expected] of [
				['br, gzip, deflate', 'br'],
				['gzip', 'gzip'],
				['identity', undefined]
			] as const) {
				const answer = await fetchRaw(pathname, { 'accept-encoding': accept });
				expect(answer.status).toBe(200);
				expect(answer.headers['content-encoding'], accept).toBe(expected);
				expect(answer.headers.vary).toMatch(/accept-encoding/i);
				expect(decode(expected, answer.body)).toContain(marker);
				expect(answer.headers['x-content-type-options']).toBe('nosniff');
				expect(answer.headers['strict-transport-security']).toBeDefined();
			}
			const plain = await fetchRaw(pathname, { 'accept-encoding': 'identity' });
			const br = await fetchRaw(pathname, { 'accept-encoding': 'br' });
			expect(br.body.length).toBeLessThan(plain.body.length);
		}
	);
});

describe('course media', () => {
	const media = '/courses/hip-flexor-pain/media/cover.svg';

	it('are cached privately and revalidated by ETag, for logged-in users only', async () => {
		const signup = await fetch(server.url + '/signup', {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: ORIGIN,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({
				name: 'Cache Reader',
				email: 'cache-reader@example.com',
				password: 'plum-tractor-71'
			})
		});
		expect(signup.status).toBe(303);
		const cookie = signup.headers
			.getSetCookie()
			.find((c) => /^(__Host-)?session=/.test(c))!
			.split(';')[0];

		const first = await fetchRaw(media, { cookie });
		expect(first.status).toBe(200);
		expect(first.headers['cache-control']).toBe('private, max-age=3600');
		const etag = first.headers.etag!;
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect(first.body.toString()).toContain('<svg');

		const again = await fetchRaw(media, { cookie, 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(again.body.length).toBe(0);
		expect(again.headers.etag).toBe(etag);

		const stale = await fetchRaw(media, { cookie, 'if-none-match': '"something-older"' });
		expect(stale.status).toBe(200);

		// Without a session: sent to log in, with no hint that the browser's copy is current.
		const visitor = await fetchRaw(media, { 'if-none-match': etag, accept: 'text/html' });
		expect(visitor.status).toBe(303);
		expect(visitor.headers.location).toMatch(/^\/login\?/);
		expect(visitor.headers.etag).toBeUndefined();

		// Pages stay uncached for a logged-in user.
		const page = await fetchRaw('/dashboard', { cookie });
		expect(page.headers['cache-control']).toBe('private, no-store');
	});
});
