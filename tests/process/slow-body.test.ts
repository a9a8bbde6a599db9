// A slowloris body: a client that sends its headers, then trickles the body a byte at a time, is
// cut once BODY_TIMEOUT has passed (a 408 it can read, then the connection closes), and the
// site keeps serving. A slow body that arrives in time is answered as usual.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-slow-body-'));
fs.chmodSync(dataDir, 0o755);
let server: RunningServer;

beforeAll(async () => {
	server = await startServer(dataDir, { BODY_TIMEOUT: '3' });
});

afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Sends a log-in form's headers, then its body one byte every `everyMs`, over a real socket.
 * Resolves when the server closes the connection, or after `giveUpMs`, with what it answered.
 */
function trickle(body: string, everyMs: number, giveUpMs: number) {
	const { port } = new URL(server.url);
	const started = Date.now();
	return new Promise<{ answer: string; closedAfterMs: number | null }>((resolve) => {
		const socket = net.connect(Number(port), '127.0.0.1');
		let answer = '';
		let sent = 0;
		let ticker: NodeJS.Timeout | undefined;
		const finish = (closed: boolean) => {
			clearInterval(ticker);
			clearTimeout(giveUp);
			socket.destroy();
			resolve({ answer, closedAfterMs: closed ? Date.now() - started : null });
		};
		const giveUp = setTimeout(() => finish(false), giveUpMs);
		socket.on('data', (d: Buffer) => (answer += d.toString()));
		socket.on('close', () => finish(true));
		socket.on('error', () => {});
		socket.on('connect', () => {
			socket.write(
				[
					'POST /login HTTP/1.1',
					`Host: ${new URL(server.url).host}`,
					`Origin: ${server.url}`,
					'Accept: text/html',
					'Connection: close',
					'Content-Type: application/x-www-form-urlencoded',
					`Content-Length: ${Buffer.byteLength(body)}`,
					'',
					''
				].join('\r\n')
			);
			ticker = setInterval(() => {
				if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!);
			}, everyMs);
		});
	});
}

describe('a request body that trickles in', () => {
	it('is cut after BODY_TIMEOUT with a 408, and the site keeps serving', async () => {
		// 200 bytes at one every 500 ms would take 100 s.
		const body = 'email=slow%40example.com&password=' + 'x'.repeat(166);
		const { answer, closedAfterMs } = await trickle(body, 500, 15_000);
		expect(closedAfterMs, 'the connection was still open after 15 s').not.toBeNull();
		expect(closedAfterMs!).toBeGreaterThanOrEqual(2_900);
		expect(closedAfterMs!).toBeLessThan(8_000);
		expect(answer).toMatch(/^HTTP\/1\.1 408 /);
		expect(answer).toContain('The request body took too long to arrive.');
		expect((await fetch(server.url + '/healthz')).status).toBe(200);
		expect(server.output()).not.toMatch(/Error [0-9a-f-]{36}:/);
	}, 30_000);

	it('is answered as usual when it arrives within the limit', async () => {
		const body = 'email=slow%40example.com&password=wrong-pass-1';
		// 46 bytes at one every 30 ms: about 1.4 s, under the 3 s limit.
		const { answer } = await trickle(body, 30, 10_000);
		expect(answer).toMatch(/^HTTP\/1\.1 400 /);
		expect(answer).toContain('That email and password do not match an account.');
	}, 30_000);
});
