// The built server as a process: crash recovery, one app per data dir, clean shutdown.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/lib/server/db/embedded';
import {
	postForm,
	sessionCookie,
	startServer,
	type RunningServer
} from '../support/server-process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-process-'));
fs.chmodSync(dataDir, 0o755);
const started: RunningServer[] = [];

function postgresPid(): number | null {
	const file = path.join(dataDir, 'postgres', 'postmaster.pid');
	if (!fs.existsSync(file)) return null;
	return Number.parseInt(fs.readFileSync(file, 'utf8').split('\n')[0]!, 10);
}

afterAll(async () => {
	for (const s of started) if (s.process.exitCode === null) s.process.kill('SIGTERM');
	await Promise.all(started.map((s) => s.exited));
	fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the built server', () => {
	it('survives kill -9 and keeps the account made before', async () => {
		const first = await startServer(dataDir);
		started.push(first);
		const signup = await postForm(first, '/signup', {
			name: 'Crash Test',
			email: 'crash@example.com',
			password: 'plum-tractor-71'
		});
		expect(signup.status).toBe(303);
		const pgBefore = postgresPid();
		expect(pgBefore).not.toBeNull();

		first.process.kill('SIGKILL');
		await first.exited;
		// The database server outlives the app: that is the leftover the next start must handle.
		expect(isAlive(pgBefore!)).toBe(true);

		const second = await startServer(dataDir);
		started.push(second);
		expect(second.output()).toContain(`left running by an earlier app process`);
		expect(isAlive(pgBefore!)).toBe(false);
		const login = await postForm(second, '/login', {
			email: 'crash@example.com',
			password: 'plum-tractor-71'
		});
		expect(login.status).toBe(303);
		expect(login.headers.get('location')).toBe('/dashboard');
		const cookie = sessionCookie(login);
		const dashboard = await fetch(second.url + '/dashboard', { headers: { cookie: cookie! } });
		expect(await dashboard.text()).toContain('Welcome, Crash Test');
	});

	it('refuses a second app on the same data dir, naming the running process', async () => {
		const running = started.at(-1)!;
		const t0 = Date.now();
		const attempt = startServer(dataDir);
		await expect(attempt).rejects.toThrow(/already in use by another app \(PID \d+/);
		expect(Date.now() - t0).toBeLessThan(15_000);
		await expect(attempt).rejects.toThrow(new RegExp(`PID ${running.process.pid}`));
		// The running app is unharmed.
		expect((await fetch(running.url + '/healthz')).status).toBe(200);
	});

	it('stops the database cleanly on SIGTERM and restarts cleanly', async () => {
		const running = started.at(-1)!;
		const pg = postgresPid()!;
		running.process.kill('SIGTERM');
		expect(await running.exited).toBe(0);
		expect(isAlive(pg)).toBe(false);
		expect(fs.existsSync(path.join(dataDir, 'app.pid'))).toBe(false);
		const again = await startServer(dataDir);
		started.push(again);
		expect(again.output()).not.toContain('left running');
		const login = await postForm(again, '/login', {
			email: 'crash@example.com',
			password: 'plum-tractor-71'
		});
		expect(login.status).toBe(303);
	});

	it('on SIGTERM, finishes the work of requests whose clients hung up, then stops', async () => {
		// A proxy timing out, or a load test ending, leaves requests running with no one to answer.
		// Closing the database under them failed each one and left the process alive for good.
		const running = started.at(-1)!;
		const hangUp = new AbortController();
		const logins = Array.from({ length: 20 }, () =>
			fetch(running.url + '/login', {
				method: 'POST',
				redirect: 'manual',
				signal: hangUp.signal,
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin: running.url,
					accept: 'text/html'
				},
				body: new URLSearchParams({ email: 'crash@example.com', password: 'plum-tractor-71' })
			}).catch(() => 'hung up')
		);
		// Each login hashes a password (tens of ms of CPU): most are still being worked on.
		await new Promise((r) => setTimeout(r, 100));
		hangUp.abort();
		expect(await Promise.all(logins)).toContain('hung up');
		running.process.kill('SIGTERM');
		const code = await Promise.race([
			running.exited,
			new Promise((r) => setTimeout(() => r('still running after 20 s'), 20_000))
		]);
		expect(code, running.output()).toBe(0);
		expect(running.output()).toContain('Stopped: the site and its database are shut down.');
		// No request failed for want of its database (handleError logs "Error <id>: …").
		expect(running.output()).not.toMatch(/^Error [0-9a-f-]{36}:/m);
		const again = await startServer(dataDir);
		started.push(again);
		expect(again.output()).not.toContain('left running');
	});
});

describe('courses with problems at start', () => {
	it('skips them with file:line messages in the log and serves the rest', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-broken-'));
		fs.chmodSync(dir, 0o755);
		const server = await startServer(dir, {
			COURSES_DIR: ['courses', 'tests/fixtures/broken-courses'].join(path.delimiter)
		});
		try {
			expect(server.output()).toMatch(
				/Course problem \(course skipped\): unknown-key\/course\.yaml:\d+: Unknown key "titel"/
			);
			expect(server.output()).toContain('Loaded 1 course');
			const catalogue = await (await fetch(server.url + '/courses')).text();
			expect(catalogue).toContain('Hip flexor and psoas pain in runners');
			expect((await fetch(server.url + '/courses/hip-flexor-pain')).status).toBe(200);
		} finally {
			server.process.kill('SIGTERM');
			await server.exited;
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('losing the database while serving', () => {
	it('answers 503 with a plain message while PostgreSQL is down, and recovers without a restart', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-health-'));
		fs.chmodSync(dir, 0o755);
		const server = await startServer(dir);
		try {
			const signup = await postForm(server, '/signup', {
				name: 'Still Here',
				email: 'still@example.com',
				password: 'plum-tractor-71'
			});
			const cookie = sessionCookie(signup)!;
			const ok = await fetch(server.url + '/healthz');
			expect(ok.status).toBe(200);
			expect(await ok.json()).toEqual({ status: 'ok', database: 'ok', version: '0.1.0' });

			// Stop the postmaster under the app, noting how it was started so it can come back.
			const pgDir = path.join(dir, 'postgres');
			const pg = Number.parseInt(
				fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]!,
				10
			);
			const command = fs.readFileSync(`/proc/${pg}/cmdline`, 'utf8').split('\0').filter(Boolean);
			process.kill(pg, 'SIGINT');
			while (isAlive(pg)) await new Promise((r) => setTimeout(r, 100));

			const down = await fetch(server.url + '/healthz');
			expect((await fetch(server.url + '/readyz')).status).toBe(503);
			expect(down.status).toBe(503);
			expect(await down.json()).toEqual({
				status: 'error',
				database: 'unavailable',
				version: '0.1.0'
			});
			for (const page of ['/dashboard', '/courses']) {
				const res = await fetch(server.url + page, {
					headers: { cookie, accept: 'text/html' }
				});
				const html = await res.text();
				expect(res.status, page).toBe(503);
				expect(res.headers.get('retry-after')).toBe('30');
				expect(html).toContain('The site cannot reach its database just now');
				expect(html).not.toMatch(/ECONNREFUSED|at .*\.js:\d+/);
			}

			// PostgreSQL comes back (as a supervisor would restart it): the app serves again.
			const owner = fs.statSync(pgDir);
			const again = spawn(command[0]!, command.slice(1), {
				uid: owner.uid,
				gid: owner.gid,
				detached: true,
				stdio: 'ignore'
			});
			again.unref();
			const deadline = Date.now() + 30_000;
			while ((await fetch(server.url + '/healthz')).status !== 200 && Date.now() < deadline)
				await new Promise((r) => setTimeout(r, 200));
			const dashboard = await fetch(server.url + '/dashboard', { headers: { cookie } });
			expect(dashboard.status).toBe(200);
			expect(await dashboard.text()).toContain('Welcome, Still Here');
		} finally {
			server.process.kill('SIGTERM');
			expect(await server.exited).toBe(0);
		}
		// The app stopped the restarted server too: the data dir is free and starts cleanly.
		expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
		fs.rmSync(dir, { recursive: true, force: true });
	});
});

describe('durability under load', () => {
	async function signUpMany(server: RunningServer, prefix: string, count: number) {
		return Promise.all(
			Array.from({ length: count }, (_, i) =>
				postForm(server, '/signup', {
					name: `Load ${i}`,
					email: `${prefix}-${i}@example.com`,
					password: 'plum-tractor-71'
				}).then(
					(res) => ({ email: `${prefix}-${i}@example.com`, status: res.status }),
					() => ({ email: `${prefix}-${i}@example.com`, status: 0 }) // never answered
				)
			)
		);
	}

	async function canLogIn(server: RunningServer, email: string) {
		const res = await postForm(server, '/login', { email, password: 'plum-tractor-71' });
		return res.status === 303 && res.headers.get('location') === '/dashboard';
	}

	it('keeps every acknowledged write through SIGTERM under load and kill -9 under load', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-load-'));
		fs.chmodSync(dir, 0o755);
		// Sixty sign-ups from one address: lift the per-address sign-up limit, as a club would.
		const env = { SIGNUP_ADDRESS_ALLOWANCE: '1000' };
		try {
			// SIGTERM while sign-ups are in flight: each one either finishes or is never answered.
			const first = await startServer(dir, env);
			const pending = signUpMany(first, 'term', 30);
			await new Promise((r) => setTimeout(r, 150));
			first.process.kill('SIGTERM');
			const during = await pending;
			expect(await first.exited).toBe(0);
			// Requests in flight were answered, then the database was shut down cleanly.
			expect(first.output()).toContain('Stopped: the site and its database are shut down.');
			expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
			expect(during.every((r) => r.status === 303 || r.status === 0)).toBe(true);
			const acknowledged = during.filter((r) => r.status === 303);
			expect(acknowledged.length).toBeGreaterThan(0);

			// kill -9 while sign-ups are in flight.
			const second = await startServer(dir, env);
			expect(second.output()).not.toContain('left running');
			const streaming = signUpMany(second, 'kill', 30);
			await new Promise((r) => setTimeout(r, 300));
			second.process.kill('SIGKILL');
			const killed = await streaming;
			await second.exited;
			acknowledged.push(...killed.filter((r) => r.status === 303));
			console.log(
				`SIGTERM: ${during.filter((r) => r.status === 303).length}/30 answered; kill -9: ${killed.filter((r) => r.status === 303).length}/30 answered`
			);
			expect(killed.every((r) => r.status === 303 || r.status === 0)).toBe(true);

			const third = await startServer(dir);
			try {
				for (const { email } of acknowledged)
					expect(await canLogIn(third, email), email).toBe(true);
			} finally {
				third.process.kill('SIGTERM');
				await third.exited;
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
