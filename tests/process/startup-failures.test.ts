// Starts that cannot work stop with one clear line and exit 1, and never replace a database with
// an empty one: a port in use, a pool size that is not a number, an unreadable or damaged
// database, no disk space for initdb.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type RunningServer } from '../support/server-process';

const asRoot = process.getuid?.() === 0;
const cleanup: (() => void)[] = [];
afterAll(() => {
	for (const c of cleanup.reverse()) c();
});
const tempDir = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-startup-'));
	fs.chmodSync(dir, 0o755);
	cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
};

/** Starts the server expecting it to stop at once with exit code 1; returns what it printed. */
async function failedStart(dataDir: string, env: Record<string, string> = {}): Promise<string> {
	const error: unknown = await startServer(dataDir, env).then(
		async (server: RunningServer) => {
			server.process.kill('SIGTERM');
			await server.exited;
			throw new Error(`The server started:\n${server.output()}`);
		},
		(e: unknown) => e
	);
	const message = error instanceof Error ? error.message : String(error);
	expect(message).toMatch(/^Server exited \(1\)/);
	expect(message).not.toMatch(/^\s+at /m);
	return message;
}

describe('a start that cannot work', () => {
	it('refuses a port in use in one line, before starting the database', async () => {
		const port = await freePort();
		const blocker = net.createServer();
		await new Promise<void>((r) => blocker.listen(port, '0.0.0.0', r));
		try {
			const dir = tempDir();
			const output = await failedStart(dir, { PORT: String(port) });
			expect(output).toContain(
				`Port ${port} is already in use by another program. Stop it, or set PORT to a free port.`
			);
			expect(fs.existsSync(path.join(dir, 'postgres'))).toBe(false);
		} finally {
			blocker.close();
		}
	});

	it('refuses a database pool size that is not a number in one line, before starting the database', async () => {
		const dir = tempDir();
		const output = await failedStart(dir, { DATABASE_POOL_SIZE: 'lots' });
		expect(output).toContain(
			'DATABASE_POOL_SIZE must be a whole number from 1 to 100 (it is "lots").'
		);
		expect(fs.existsSync(path.join(dir, 'postgres'))).toBe(false);
	});

	it('stops on an unreadable or damaged database, leaving it as it was', async () => {
		const dir = tempDir();
		const first = await startServer(dir);
		first.process.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		const pgDir = path.join(dir, 'postgres');
		const files = () => fs.readdirSync(pgDir).sort();
		const before = files();

		if (asRoot) {
			// Unreadable for the database user (root itself reads anything).
			const mode = fs.statSync(pgDir).mode & 0o777;
			fs.chmodSync(pgDir, 0o000);
			const output = await failedStart(dir);
			fs.chmodSync(pgDir, mode);
			expect(output).toContain(`PostgreSQL could not start on the database in ${pgDir}:`);
			expect(output).toMatch(/[Pp]ermission denied/);
			expect(files()).toEqual(before);
		}

		// Damaged: the control file is gone. The app must not initialise a fresh database.
		fs.rmSync(path.join(pgDir, 'global', 'pg_control'));
		const output = await failedStart(dir);
		expect(output).toContain(`PostgreSQL could not start on the database in ${pgDir}:`);
		expect(output).toContain('Nothing there was changed.');
		expect(output).not.toContain('Initialising a new PostgreSQL data directory');
		expect(files()).toEqual(before);
	});

	// A small tmpfs is real "no space left" for initdb; mounting needs root (and the capability).
	const mountable = (() => {
		if (!asRoot) return null;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-full-'));
		try {
			execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0755', 'tmpfs', dir], {
				stdio: 'ignore'
			});
			cleanup.push(() => {
				execFileSync('umount', [dir]);
				fs.rmdirSync(dir);
			});
			return dir;
		} catch {
			fs.rmdirSync(dir);
			return null;
		}
	})();

	it.skipIf(!mountable)('stops when the disk is too small for a new database', async () => {
		const dir = path.join(mountable!, 'data');
		const output = await failedStart(dir);
		expect(output).toContain(`Could not create the database in ${dir}/postgres:`);
		expect(output).toMatch(/No space left on device/);
		// What it made is taken away again, so the next start (with space) begins afresh.
		expect(fs.readdirSync(dir)).toEqual([]);
	});
});
