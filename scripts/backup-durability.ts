// `npm run test:backup-durability [-- --rounds 20]`: backups of a realistic site while it is busy.
// Starts the production server on a scratch data dir, fills it (3,000 accounts, over 10,000
// graded attempts, about 30 MB of rows: tests/support/realistic-site.ts), then, round after
// round, runs `npm run backup` while people sign up and read pages, restores the file into a new
// data dir with `npm run restore`, and compares the copy with the site table by table. Rows the
// sign-ups wrote during the backup are compared apart: each account in the copy exists on the
// site, and every sign-up answered before the backup started is in the copy.
// Prints one line per round; exits 1 on the first failure (a hang counts: --timeout).
import './lib/environment.js';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { runningServerUrl, startEmbeddedDatabase } from '../src/lib/server/db/embedded';
import { seedRealisticSite, SEEDED_PASSWORD } from '../tests/support/realistic-site';
import {
	postForm,
	sessionCookie,
	startServer,
	type RunningServer
} from '../tests/support/server-process';
import { tableFingerprints, type Fingerprints } from '../tests/support/table-fingerprints';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const USAGE = `Usage: npm run test:backup-durability -- [--rounds <n>] [--timeout <seconds>]

Backs up a busy site of realistic size (3,000 accounts, over 10,000 graded attempts, about
30 MB of rows) again and again, restores each backup into a new data dir and compares it with
the site table by table.

Options:
  --rounds <n>          how many backups (default: 20)
  --timeout <seconds>   each backup's and restore's time limit (default: 120)
  -h, --help            this text`;

const { values } = readCommandLine(USAGE, {
	options: {
		rounds: { type: 'string', default: '20' },
		timeout: { type: 'string', default: '120' }
	}
});
const rounds = Number(values.rounds);
const timeout = Number(values.timeout);
if (!Number.isInteger(rounds) || rounds < 1) refuseUsage(USAGE, '--rounds takes a whole number');
if (!(timeout > 0)) refuseUsage(USAGE, '--timeout takes a number of seconds above 0');

const root = path.resolve(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-durability-'));
fs.chmodSync(scratch, 0o755);
const siteDir = path.join(scratch, 'site');
const BUSY = '@busy.test';

/** Rows the sign-ups during a backup wrote: compared on their own, not by fingerprint. */
const signUpRows = (table: string, columns: string[]) =>
	table === 'users'
		? `t.email like '%${BUSY}'`
		: table === 'signup_attempts'
			? 'true' // the per-address sign-up count, written by every sign-up
			: columns.includes('user_id')
				? `t.user_id in (select id from users where email like '%${BUSY}')`
				: null;

function cli(script: string, args: string[], dataDir: string) {
	const started = Date.now();
	return new Promise<{ code: number | null; out: string; seconds: number }>((resolve) =>
		execFile(
			process.execPath,
			['--import', 'tsx', script, ...args, '--timeout', String(timeout)],
			// The CLI's own limit should stop it; this one only catches a CLI that ignores it.
			{ cwd: root, env: { ...process.env, DATA_DIR: dataDir }, timeout: (timeout + 60) * 1000 },
			(error, stdout, stderr) =>
				resolve({
					code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
					out: (stdout + stderr).trim() + (error?.killed ? ' [killed: it hung]' : ''),
					seconds: (Date.now() - started) / 1000
				})
		)
	);
}

async function busyEmails(url: string): Promise<string[]> {
	const client = new pg.Client(url);
	await client.connect();
	try {
		const { rows } = await client.query<{ email: string }>(
			`select email from users where email like '%${BUSY}'`
		);
		return rows.map((r) => r.email);
	} finally {
		await client.end();
	}
}

function differences(a: Fingerprints, b: Fingerprints): string[] {
	return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((t) =>
		JSON.stringify(a[t]) === JSON.stringify(b[t])
			? []
			: [`${t}: site ${JSON.stringify(a[t])}, copy ${JSON.stringify(b[t])}`]
	);
}

/** People signing up and a learner reading pages, until stopped. */
function busySite(server: RunningServer, cookie: string, round: number) {
	const acknowledged: string[] = [];
	const failures: string[] = [];
	let running = true;
	let n = 0;
	const signUps = (async () => {
		while (running) {
			const email = `r${round}-${n++}${BUSY}`;
			const res = await postForm(server, '/signup', {
				name: 'Busy Signup',
				email,
				password: SEEDED_PASSWORD
			});
			if (res.status === 303) acknowledged.push(email);
			else failures.push(`sign-up ${res.status}`);
		}
	})();
	const reads = (async () => {
		while (running)
			for (const page of ['/dashboard', '/courses/fixture-course', '/certificates']) {
				const res = await fetch(server.url + page, { headers: { cookie }, redirect: 'manual' });
				if (res.status !== 200) failures.push(`${page} ${res.status}`);
			}
	})();
	return {
		acknowledged,
		failures,
		async stop() {
			running = false;
			await Promise.all([signUps, reads]);
		}
	};
}

let server: RunningServer | undefined;
let failed = false;
try {
	console.log(`Starting the site in ${siteDir} and filling it…`);
	server = await startServer(siteDir, {
		COURSES_DIR: ['courses', 'tests/fixtures/courses'].join(path.delimiter),
		SIGNUP_ADDRESS_ALLOWANCE: '1000000'
	});
	const url = runningServerUrl(siteDir)!;
	const size = await seedRealisticSite(url);
	console.log(
		`${size.accounts} accounts, ${size.gradedAttempts} graded attempts, ` +
			`${(size.rowBytes / 1048576).toFixed(1)} MB of rows.`
	);
	const login = await postForm(server, '/login', {
		email: 'learner0@backup.test',
		password: SEEDED_PASSWORD
	});
	const cookie = sessionCookie(login)!;

	for (let round = 1; round <= rounds; round++) {
		const out = path.join(scratch, `backups-${round}`);
		const busy = busySite(server, cookie, round);
		await new Promise((r) => setTimeout(r, 300));
		const answeredBefore = [...busy.acknowledged];
		const backup = await cli('scripts/backup.ts', ['--out', out], siteDir);
		await busy.stop();
		const files = fs.existsSync(out) ? fs.readdirSync(out) : [];
		const problems: string[] = [...busy.failures];
		if (backup.code !== 0 || !/^Backup written:/.test(backup.out))
			problems.push(`backup exited ${backup.code}: ${backup.out}`);
		if (files.length !== 1) problems.push(`backup folder holds ${JSON.stringify(files)}`);
		let restoreSeconds = 0;
		let tables = 0;
		let inCopy = 0;
		if (problems.length === 0) {
			const file = path.join(out, files[0]!);
			try {
				zlib.gunzipSync(fs.readFileSync(file));
			} catch (error) {
				problems.push(`${file} is not whole gzip: ${(error as Error).message}`);
			}
			const restoredDir = path.join(scratch, `restored-${round}`);
			const restore = await cli('scripts/restore.ts', [file], restoredDir);
			restoreSeconds = restore.seconds;
			if (restore.code !== 0) problems.push(`restore exited ${restore.code}: ${restore.out}`);
			else {
				const site = await tableFingerprints(url, signUpRows);
				const siteEmails = new Set(await busyEmails(url));
				const copy = await startEmbeddedDatabase(restoredDir, () => {});
				try {
					const copied = await tableFingerprints(copy.url, signUpRows);
					tables = Object.keys(copied).length;
					problems.push(...differences(site, copied));
					const copyEmails = await busyEmails(copy.url);
					inCopy = copyEmails.filter((e) => e.startsWith(`r${round}-`)).length;
					for (const e of copyEmails)
						if (!siteEmails.has(e)) problems.push(`${e} is in the copy but not on the site`);
					for (const e of answeredBefore)
						if (!copyEmails.includes(e))
							problems.push(`${e} signed up before the backup began but is not in the copy`);
				} finally {
					await copy.stop();
				}
			}
			fs.rmSync(restoredDir, { recursive: true, force: true });
		}
		fs.rmSync(out, { recursive: true, force: true });
		console.log(
			`Round ${round}/${rounds}: backup ${backup.seconds.toFixed(1)} s, restore ` +
				`${restoreSeconds.toFixed(1)} s; ${tables} tables equal; ${busy.acknowledged.length} ` +
				`sign-ups while it ran, ${inCopy} of them in the copy` +
				(problems.length ? `\n  ✗ ${problems.join('\n  ✗ ')}` : ' ✓')
		);
		if (problems.length) {
			failed = true;
			break;
		}
	}
} catch (error) {
	console.error(`✗ ${(error as Error).message}`);
	failed = true;
} finally {
	if (server?.process.exitCode === null) server.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(failed ? '✗ Backup durability failed.' : `✓ ${rounds} backups restored equal.`);
process.exit(failed ? 1 : 0);
