// Behind a proxy (ADDRESS_HEADER set): a request without the header is served, not a 500, and
// sign-ups are limited per address as the proxy reports it. Requests without a usable header
// (none, or a value over 64 characters) all share one "unknown" address that is limited too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-proxy-'));
fs.chmodSync(dataDir, 0o755);
let server: RunningServer;

beforeAll(async () => {
	server = await startServer(dataDir, {
		ADDRESS_HEADER: 'X-Client-IP',
		SIGNUP_ADDRESS_ALLOWANCE: '2',
		VERIFY_ADDRESS_ALLOWANCE: '3'
	});
});

afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

function get(pathname: string, address?: string) {
	return fetch(server.url + pathname, {
		redirect: 'manual',
		headers: { accept: 'text/html', ...(address ? { 'x-client-ip': address } : {}) }
	});
}

function post(pathname: string, data: Record<string, string>, address?: string) {
	return fetch(server.url + pathname, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			accept: 'text/html',
			...(address ? { 'x-client-ip': address } : {})
		},
		body: new URLSearchParams(data)
	});
}

const account = (email: string) => ({ name: 'Proxy Runner', email, password: 'plum-tractor-71' });

describe('behind a proxy that leaves out the address header', () => {
	it('answers log-in and sign-up normally and logs the misconfiguration once', async () => {
		const wrong = { email: 'nobody@example.com', password: 'wrong-pass-1' };
		expect((await post('/login', wrong)).status).toBe(400);
		expect((await post('/login', wrong)).status).toBe(400);
		const signup = await post('/signup', account('no-header@example.com'));
		expect(signup.status).toBe(303);
		const login = await post('/login', {
			email: 'no-header@example.com',
			password: 'plum-tractor-71'
		});
		expect(login.status).toBe(303);
		expect(server.output()).not.toMatch(/Error [0-9a-f-]{36}:/);
		expect(server.output().match(/Proxy misconfigured/g)).toHaveLength(1);
	});

	it('limits sign-ups per address the proxy reports, with a 429 that says how long', async () => {
		for (const n of [1, 2])
			expect((await post('/signup', account(`a${n}@example.com`), '203.0.113.5')).status).toBe(303);
		const refused = await post('/signup', account('a3@example.com'), '203.0.113.5');
		expect(refused.status).toBe(429);
		expect(await refused.text()).toMatch(
			// A burst of 2 here; one more place comes back every 6 minutes (10 an hour).
			/Too many sign-ups from your network\. Try again in [56] minutes\./
		);
		expect((await post('/signup', account('b1@example.com'), '203.0.113.6')).status).toBe(303);
	});
});

describe('requests without a usable address header', () => {
	// Runs after the first block, whose one header-less sign-up already counts for "unknown".
	it('share one limited allowance for sign-ups, whether the header is missing or too long', async () => {
		expect((await post('/signup', account('no-header-2@example.com'))).status).toBe(303);
		const tooLong = '203.0.113.' + '9'.repeat(60);
		const refused = await post('/signup', account('long-header@example.com'), tooLong);
		expect(refused.status).toBe(429);
		expect(await refused.text()).toMatch(/Too many sign-ups from your network/);
		expect((await post('/signup', account('no-header-3@example.com'))).status).toBe(429);
		// A proxy that does report an address is not held back by the unknown ones.
		expect((await post('/signup', account('c1@example.com'), '203.0.113.7')).status).toBe(303);
	});

	it('share one allowance for verification-code guesses too', async () => {
		const miss = (n: number, address?: string) => get(`/verify/no-such-code-${n}`, address);
		for (const n of [1, 2, 3]) expect((await miss(n)).status).toBe(404);
		expect((await miss(4, 'x'.repeat(65))).status).toBe(429);
		expect((await miss(5)).status).toBe(429);
		expect((await miss(6, '203.0.113.8')).status).toBe(404);
	});

	it('is logged once, not once per request', () => {
		expect(server.output().match(/Proxy misconfigured/g)).toHaveLength(1);
		expect(server.output()).not.toMatch(/Error [0-9a-f-]{36}:/);
	});
});
