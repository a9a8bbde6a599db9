// The HTTP server as users run it (`npm start`), behind an https origin: HSTS on every kind of
// response, and connections that survive request bodies the app never reads.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
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
