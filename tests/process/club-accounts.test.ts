// Over HTTP against the production build, with the default limits: a club of 100 signs up from
// one address in one go; asking for a password reset answers an unknown email exactly as a known
// one (status, redirect, body, and time, since the mail is written after the answer).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-club-'));
fs.chmodSync(dataDir, 0o755);
let server: RunningServer;

beforeAll(async () => {
	// The defaults, whatever the environment running the tests says.
	server = await startServer(dataDir, {
		SIGNUP_ADDRESS_ALLOWANCE: '',
		SIGNUP_ADDRESS_RATE: '',
		RESET_ADDRESS_ALLOWANCE: '1000'
	});
}, 120_000);

afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

function post(pathname: string, data: Record<string, string>) {
	return fetch(server.url + pathname, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			accept: 'text/html'
		},
		body: new URLSearchParams(data)
	});
}

const member = (i: number) => `club-member-${i}@example.com`;

describe('a club night on one Wi-Fi', () => {
	it('signs up 100 people from one address', async () => {
		const statuses: number[] = [];
		// Four at a time, as people at a club night would, give or take.
		for (let i = 0; i < 100; i += 4) {
			const batch = await Promise.all(
				[0, 1, 2, 3].map((k) =>
					post('/signup', {
						name: `Club Member ${i + k}`,
						email: member(i + k),
						password: 'plum-tractor-71'
					})
				)
			);
			statuses.push(...batch.map((r) => r.status));
		}
		expect(statuses.filter((s) => s !== 303)).toEqual([]);
		expect(statuses).toHaveLength(100);
	}, 300_000);
});

describe('asking for a password reset', () => {
	async function ask(email: string) {
		const started = performance.now();
		const res = await post('/reset-password', { email });
		const body = await res.text();
		return {
			ms: performance.now() - started,
			seen: { status: res.status, location: res.headers.get('location'), body }
		};
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

	it('answers an unknown email exactly as a known one, in the same time', async () => {
		const known: number[] = [];
		const unknown: number[] = [];
		for (let i = 0; i < 30; i++) {
			// Alternating, so load on the machine falls on both alike.
			// A pause after each, so the mail written after one answer does not slow the next.
			const k = await ask(member(i));
			await new Promise((r) => setTimeout(r, 50));
			const u = await ask(`not-a-member-${i}@example.com`);
			await new Promise((r) => setTimeout(r, 50));
			expect(u.seen).toEqual(k.seen);
			expect(k.seen).toEqual({ status: 303, location: '/reset-password?sent=1', body: '' });
			known.push(k.ms);
			unknown.push(u.ms);
		}
		const [mk, mu] = [median(known), median(unknown)];
		console.log(
			`reset request, median of 30: known ${mk.toFixed(1)} ms, unknown ${mu.toFixed(1)} ms`
		);
		expect(Math.abs(mk - mu)).toBeLessThan(Math.max(5, 0.25 * mu));
	}, 120_000);

	it('limits each email to 3 requests an hour, known or not, with the same refusal', async () => {
		const refusals = [];
		for (const email of [member(50), 'not-a-member-50@example.com']) {
			for (let i = 0; i < 3; i++) expect((await ask(email)).seen.status).toBe(303);
			const refused = await ask(email);
			// The page repeats the email typed, and each answer carries its own CSP nonce.
			const body = refused.seen.body
				.replaceAll(email, 'EMAIL')
				.replace(/nonce(=|-)("?)[A-Za-z0-9+/=_-]+/g, 'nonce$1$2N');
			refusals.push({ ...refused.seen, body });
		}
		expect(refusals[0]!.status).toBe(429);
		expect(refusals[0]!.body).toContain('Too many reset requests');
		expect(refusals[1]).toEqual(refusals[0]);
	}, 60_000);
});
