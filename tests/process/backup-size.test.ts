// `npm run backup` on a site of realistic size while it serves pages: 3,000 accounts, thousands of
// graded attempts, over 10 MB of rows. The backup finishes, the file is whole gzip, and the
// restored copy equals the site table by table. A backup that cannot finish (a table locked by
// someone else) stops at its time limit or on SIGTERM: one line, exit 1, no file, and no session
// of its own left on the site. The 20-round version is `npm run test:backup-durability`.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningServerUrl, startEmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { seedRealisticSite, SEEDED_PASSWORD, type SiteSize } from '../support/realistic-site';
import {
	postForm,
	sessionCookie,
	startServer,
	type RunningServer
} from '../support/server-process';
import { tableFingerprints } from '../support/table-fingerprints';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-backup-size-'));
fs.chmodSync(root, 0o755);
const siteDir = path.join(root, 'site');
let server: RunningServer;
let size: SiteSize;

beforeAll(async () => {
	server = await startServer(siteDir, {
		COURSES_DIR: ['courses', 'tests/fixtures/courses'].join(path.delimiter)
	});
	size = await seedRealisticSite(runningServerUrl(siteDir)!);
}, 180_000);

afterAll(async () => {
	if (server?.process.exitCode === null) server.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(root, { recursive: true, force: true });
});

interface Run {
	code: number | null;
	out: string;
	ms: number;
}

/** Runs a CLI as `npm run` would, with a hard stop so a hang fails the test instead of stalling it. */
function cli(script: string, args: string[], dataDir: string, hardStopMs = 90_000) {
	const started = Date.now();
	return new Promise<Run>((resolve) => {
		execFile(
			process.execPath,
			['--import', 'tsx', script, ...args],
			{ env: { ...process.env, DATA_DIR: dataDir }, timeout: hardStopMs, killSignal: 'SIGKILL' },
			(error, stdout, stderr) =>
				resolve({
					code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
					out: stdout + stderr + (error?.killed ? `\n[still running after ${hardStopMs} ms]` : ''),
					ms: Date.now() - started
				})
		);
	});
}

/** Waits until the site's background jobs stop changing rows, so nothing writes behind the test. */
async function quiet(url: string) {
	let last = JSON.stringify(await tableFingerprints(url));
	for (let i = 0; i < 60; i++) {
		await new Promise((r) => setTimeout(r, 1_000));
		const now = JSON.stringify(await tableFingerprints(url));
		if (now === last) return;
		last = now;
	}
	throw new Error('the site kept writing for a minute after the seed');
}

/** The backup's sessions on the site (it names itself), and whether any is in a transaction. */
async function backupSessions(url: string) {
	const client = new pg.Client(url);
	await client.connect();
	try {
		const { rows } = await client.query<{ state: string }>(
			`select state from pg_stat_activity where application_name = 'stride-academy backup'`
		);
		return rows.map((r) => r.state);
	} finally {
		await client.end();
	}
}

const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

describe('a backup of a realistic site', () => {
	it('finishes while the site serves pages, and restores to the same rows in every table', async () => {
		expect(size.accounts).toBeGreaterThanOrEqual(3_000);
		expect(size.gradedAttempts).toBeGreaterThanOrEqual(2_000);
		expect(size.rowBytes).toBeGreaterThanOrEqual(10 * 1024 * 1024);
		// A learner keeps reading pages the whole time the backup runs.
		const login = await postForm(server, '/login', {
			email: 'learner0@backup.test',
			password: SEEDED_PASSWORD
		});
		const cookie = sessionCookie(login)!;
		const url = runningServerUrl(siteDir)!;
		await quiet(url);
		const before = await tableFingerprints(url);

		let reading = true;
		const statuses: number[] = [];
		const reader = (async () => {
			while (reading) {
				for (const page of ['/dashboard', '/courses/fixture-course', '/certificates'])
					statuses.push(
						(await fetch(server.url + page, { headers: { cookie }, redirect: 'manual' })).status
					);
			}
		})();

		const out = path.join(root, 'backups');
		const backup = await cli('scripts/backup.ts', ['--out', out], siteDir);
		reading = false;
		await reader;
		expect(backup.out).toMatch(/^Backup written: .*stride-academy-.*\.backup\.gz \(\d+ tables/);
		expect(backup.code).toBe(0);
		expect(statuses.length).toBeGreaterThan(0);
		expect(new Set(statuses)).toEqual(new Set([200]));
		const files = filesIn(out);
		expect(files).toHaveLength(1); // no .partial left beside it
		const file = path.join(out, files[0]!);
		expect(() => zlib.gunzipSync(fs.readFileSync(file))).not.toThrow();
		expect(await backupSessions(url)).toEqual([]);
		console.log(
			`backup of ${size.accounts} accounts, ${size.gradedAttempts} graded attempts, ` +
				`${(size.rowBytes / 1048576).toFixed(1)} MB of rows: ${backup.ms} ms, ` +
				`${(fs.statSync(file).size / 1048576).toFixed(1)} MB file`
		);

		// Nothing wrote while it ran, so the copy must equal the site exactly.
		expect(await tableFingerprints(url)).toEqual(before);
		const restoredDir = path.join(root, 'restored');
		const restore = await cli('scripts/restore.ts', [file], restoredDir);
		expect(restore.out).toMatch(/^Restored \d+ rows/);
		expect(restore.code).toBe(0);
		const restored = await startEmbeddedDatabase(restoredDir, () => {});
		try {
			expect(await tableFingerprints(restored.url)).toEqual(before);
		} finally {
			await restored.stop();
		}
	});

	/** Holds an exclusive lock on users, so a backup's COPY of it waits. */
	async function lockUsers() {
		const client = new pg.Client(runningServerUrl(siteDir)!);
		await client.connect();
		await client.query('begin');
		await client.query('lock table users in access exclusive mode');
		return async () => {
			await client.query('rollback');
			await client.end();
		};
	}

	it('stops at its time limit with one line, leaving no file and no open transaction', async () => {
		const release = await lockUsers();
		const out = path.join(root, 'timed-out');
		try {
			const backup = await cli('scripts/backup.ts', ['--out', out, '--timeout', '3'], siteDir);
			expect(backup.out.trim()).toBe(
				'Backup failed: The backup did not finish within 3 s (--timeout) and was stopped. ' +
					'No backup file was written.'
			);
			expect(backup.code).toBe(1);
			expect(backup.ms).toBeLessThan(20_000);
			expect(filesIn(out)).toEqual([]);
			expect(await backupSessions(runningServerUrl(siteDir)!)).toEqual([]);
		} finally {
			await release();
		}
	});

	it('stops on SIGTERM (a `timeout` in cron) the same way', async () => {
		const release = await lockUsers();
		const out = path.join(root, 'terminated');
		try {
			const child = spawn(
				process.execPath,
				['--import', 'tsx', 'scripts/backup.ts', '--out', out],
				{ env: { ...process.env, DATA_DIR: siteDir }, stdio: ['ignore', 'pipe', 'pipe'] }
			);
			let output = '';
			child.stdout.on('data', (d: Buffer) => (output += d.toString()));
			child.stderr.on('data', (d: Buffer) => (output += d.toString()));
			const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
			// Until the backup's session waits on the lock.
			const url = runningServerUrl(siteDir)!;
			for (let i = 0; i < 100 && !(await backupSessions(url)).includes('active'); i++)
				await new Promise((r) => setTimeout(r, 100));
			child.kill('SIGTERM');
			expect(await exited).toBe(1);
			expect(output.trim()).toBe(
				'Backup failed: The backup was stopped (SIGTERM). No backup file was written.'
			);
			expect(filesIn(out)).toEqual([]);
			expect(await backupSessions(url)).toEqual([]);
		} finally {
			await release();
		}
	});
});
