// `npm start` with several workers (node:cluster): one start-up story, a dead worker replaced,
// and SIGTERM under load keeping the shutdown promise (requests in flight finish, then the
// database stops, and the next start works).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

const dirs: string[] = [];
const tempDir = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workers-'));
	dirs.push(dir);
	return dir;
};
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The node processes the primary forked (its PostgreSQL child is not one of them). */
function workerPids(primary: number): number[] {
	const out = execFileSync('ps', ['--ppid', String(primary), '-o', 'pid=,comm='], {
		encoding: 'utf8'
	});
	return out
		.split('\n')
		.map((l) => l.trim().split(/\s+/))
		.filter(([, comm]) => comm === 'node')
		.map(([pid]) => Number(pid));
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

async function until(what: () => boolean | Promise<boolean>, ms = 30_000) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await what()) return true;
		await new Promise((r) => setTimeout(r, 200));
	}
	return false;
}

/** A GET that reports once it has been sent, and then its status and when it ended. */
function inFlightGet(url: string) {
	let sent!: () => void;
	const open = new Promise<void>((r) => (sent = r));
	const done = new Promise<{ status: number; at: number }>((resolve, reject) => {
		const req = http.get(url, { agent: false }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, at: Date.now() }));
		});
		req.on('finish', sent);
		req.on('error', reject);
	});
	return { open, done };
}

describe('npm start with WORKERS=2', () => {
	let server: RunningServer;
	afterAll(() => {
		if (server && server.process.exitCode === null) server.process.kill('SIGTERM');
		return server?.exited;
	});

	it('starts two workers behind one start-up story, and replaces a worker killed with -9', async () => {
		server = await startServer(tempDir(), { WORKERS: '2' });
		await until(() => server.output().includes('Ready'));
		const out = server.output();
		expect(count(out, 'Ready: open'), out).toBe(1);
		expect(count(out, 'Embedded PostgreSQL listening on'), out).toBe(1);
		expect(count(out, 'Loaded 1 course'), out).toBe(1);
		const before = workerPids(server.process.pid!);
		expect(before, out).toHaveLength(2);

		process.kill(before[0]!, 'SIGKILL');
		expect(
			await until(() => {
				const now = workerPids(server.process.pid!);
				return now.length === 2 && !now.includes(before[0]!);
			}),
			server.output()
		).toBe(true);
		expect(server.output()).toMatch(
			new RegExp(`Worker \\d \\(PID ${before[0]}\\) was killed \\(SIGKILL\\); starting a new one`)
		);
		// Both workers answer: enough requests land on each of them.
		expect(await until(async () => (await fetch(`${server.url}/healthz`)).ok)).toBe(true);
		const statuses = await Promise.all(
			Array.from({ length: 20 }, () => fetch(`${server.url}/login`).then((r) => r.status))
		);
		expect(new Set(statuses)).toEqual(new Set([200]));
	}, 120_000);

	it('drains every worker on SIGTERM under load, then stops the database, and starts again', async () => {
		const dataDir = tempDir();
		server = await startServer(dataDir, { WORKERS: '2' });
		const postmaster = path.join(dataDir, 'postgres', 'postmaster.pid');
		expect(fs.existsSync(postmaster)).toBe(true);

		// All sent (some not yet accepted, some not yet read: the shutdown must serve those too).
		const requests = Array.from({ length: 80 }, () => inFlightGet(`${server.url}/courses`));
		await Promise.all(requests.map((r) => r.open));
		const signalled = Date.now();
		server.process.kill('SIGTERM');
		const results = await Promise.all(requests.map((r) => r.done));
		expect(
			results.filter((r) => r.status !== 200),
			server.output()
		).toEqual([]);
		// Some were still being answered when the signal came: the drain was put to the test.
		expect(results.filter((r) => r.at > signalled).length).toBeGreaterThan(0);
		expect(await server.exited, server.output()).toBe(0);
		expect(fs.existsSync(postmaster), server.output()).toBe(false);
		expect(count(server.output(), 'Stopped: the site and its database are shut down.')).toBe(1);

		server = await startServer(dataDir, { WORKERS: '2' });
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	}, 180_000);
});
