// `npm start` with two workers and no ORIGIN: an admin confirms the site's address through one
// request, and every request after it, whichever worker answers, names the new address. Each
// worker keeps a copy of the address; the change must reach the copy in the other worker too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	postForm,
	sessionCookie,
	startServer,
	type RunningServer
} from '../support/server-process';

const PASSWORD = 'plum-tractor-71';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-address-workers-'));
fs.chmodSync(dataDir, 0o755);
let server: RunningServer;

beforeAll(async () => {
	// Empty is unset (scripts/start.js): the address comes from the site's settings.
	server = await startServer(dataDir, { WORKERS: '2', ORIGIN: '' });
}, 120_000);

afterAll(async () => {
	if (server && server.process.exitCode === null) server.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The issuer id the issuer profile names, over a connection of its own: the cluster hands each
 * new connection to the next worker in turn, so consecutive calls land on both workers.
 */
function issuerId(): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = http.get(`${server.url}/issuer`, { agent: false }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => {
				try {
					resolve((JSON.parse(body) as { id: string }).id);
				} catch {
					reject(new Error(`/issuer answered ${res.statusCode}: ${body.slice(0, 200)}`));
				}
			});
		});
		req.on('error', reject);
	});
}

async function issuerIds(count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) ids.push(await issuerId());
	return ids;
}

describe('the site address with WORKERS=2', () => {
	it('is the confirmed one in every worker from the next request on', async () => {
		const email = 'first-admin@example.com';
		const made = spawnSync(
			'npx',
			['tsx', 'scripts/admin.ts', 'create-admin', '--email', email, '--name', 'First Admin'],
			{ input: `${PASSWORD}\n`, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir } }
		);
		expect(made.stdout + made.stderr).toContain(`Created admin ${email}`);
		const login = await postForm(server, '/login', { email, password: PASSWORD });
		expect(login.status).toBe(303);
		const cookie = sessionCookie(login)!;

		// Both workers read and keep the loopback address.
		expect(new Set(await issuerIds(10))).toEqual(new Set([`${server.url}/issuer`]));

		const saved = await postForm(
			server,
			'/admin/settings?/address',
			{ address: 'https://club.example' },
			cookie
		);
		expect(saved.status, server.output()).toBe(303);

		// At once, not once a copy expires: no answer names the old address.
		expect(await issuerIds(20)).toEqual(Array(20).fill('https://club.example/issuer'));
	}, 120_000);
});
