// Running the site the way a newcomer and a process manager do: `npm start` with nothing set,
// opened at whatever address, and stopped by signalling the PID the manager holds (npm's).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	freePort,
	startServer,
	waitForHealthy,
	type RunningServer
} from '../support/server-process';

const dirs: string[] = [];
const tempDir = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'running-'));
	dirs.push(dir);
	return dir;
};
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const signUpFrom = (port: number, host: string, origin: string) =>
	fetch(`http://${host}:${port}/signup`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin
		},
		body: new URLSearchParams({
			name: 'Newcomer',
			email: `newcomer-${Math.random().toString(36).slice(2)}@example.com`,
			password: 'plum-tractor-71'
		})
	});

describe('with ORIGIN unset and no proxy', () => {
	let server: RunningServer;
	afterAll(() => {
		server?.process.kill('SIGTERM');
		return server?.exited;
	});

	it('accepts sign-up at 127.0.0.1 and localhost over http, and still refuses foreign origins', async () => {
		server = await startServer(tempDir(), { ORIGIN: '' });
		const port = Number(new URL(server.url).port);
		for (const host of ['127.0.0.1', 'localhost']) {
			const res = await signUpFrom(port, host, `http://${host}:${port}`);
			expect(res.status, host).toBe(303);
			expect(res.headers.get('location'), host).toBe('/dashboard');
		}
		// A client claiming https through the proxy header changes nothing: no proxy is trusted.
		const claimed = await fetch(`http://127.0.0.1:${port}/login`, {
			headers: { 'x-forwarded-proto': 'https' }
		});
		expect(claimed.headers.get('strict-transport-security')).toBeNull();
		for (const origin of ['http://evil.test', `https://127.0.0.1:${port}`, 'null']) {
			const res = await signUpFrom(port, '127.0.0.1', origin);
			expect(res.status, origin).toBe(403);
		}
		expect(server.output()).toMatch(/Ready: open http:\/\/localhost:\d+/);
		expect(server.output()).not.toContain('0.0.0.0');
	});
});

describe('npm start', () => {
	it('stops the site and its database when npm itself is sent SIGTERM', async () => {
		const dataDir = tempDir();
		const port = await freePort();
		const npm = spawn('npm', ['start'], {
			env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ORIGIN: '' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
		npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
		const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
		const server: RunningServer = {
			url: `http://localhost:${port}`,
			process: npm,
			output: () => out,
			exited: exited.then(() => null)
		};
		await waitForHealthy(server, 120_000);
		const postmaster = path.join(dataDir, 'postgres', 'postmaster.pid');
		expect(fs.existsSync(postmaster)).toBe(true);

		npm.kill('SIGTERM');
		const deadline = Date.now() + 30_000;
		let up = true;
		while (Date.now() < deadline && (up || fs.existsSync(postmaster))) {
			await new Promise((r) => setTimeout(r, 250));
			up = await fetch(`${server.url}/healthz`).then(
				() => true,
				() => false
			);
		}
		expect(up, out).toBe(false);
		expect(fs.existsSync(postmaster), out).toBe(false);
		await new Promise((r) => setTimeout(r, 500));
		expect(out).toContain('Stopped: the site and its database are shut down.');
	});
});
