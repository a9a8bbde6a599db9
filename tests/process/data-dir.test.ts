// The data directory as root: PostgreSQL runs as the unprivileged `postgres` user, which must
// reach DATA_DIR/postgres. A private folder is fixed when it is ours, named with the fix when
// it is not, and a failed first initialisation leaves nothing behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server-process';

const asRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
const running: RunningServer[] = [];

afterEach(async () => {
	for (const s of running.splice(0)) {
		if (s.process.exitCode === null) s.process.kill('SIGTERM');
		await s.exited;
	}
	for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** `mktemp -d`: a fresh folder only its owner may enter (0700). */
function privateTempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-private-'));
	fs.chmodSync(dir, 0o700);
	cleanup.push(dir);
	return dir;
}

/** Starts the server expecting it to stop at once; returns what it printed. */
async function failedStart(dataDir: string, env: Record<string, string> = {}): Promise<string> {
	const error: unknown = await startServer(dataDir, env).then(
		(server) => {
			running.push(server);
			throw new Error(`The server started:\n${server.output()}`);
		},
		(e: unknown) => e
	);
	const message = error instanceof Error ? error.message : String(error);
	expect(message).toMatch(/^Server exited \(1\)/);
	return message;
}

describe.skipIf(!asRoot)('a private data directory, as root', () => {
	it('is made reachable for the database user when it is ours, and the app starts', async () => {
		const dataDir = privateTempDir();
		const server = await startServer(dataDir);
		running.push(server);
		expect(server.output()).toContain(
			`Gave the database user "postgres" search permission on ${dataDir} (chmod o+x)`
		);
		expect(fs.statSync(dataDir).mode & 0o777).toBe(0o701);
		const pgDir = fs.statSync(path.join(dataDir, 'postgres'));
		expect(pgDir.uid).not.toBe(0);
		expect(pgDir.mode & 0o777).toBe(0o700);
		expect(fs.statSync(path.join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
		expect((await fetch(server.url + '/healthz')).status).toBe(200);
	});

	it('names the folder above it that blocks the database user, with the fix, in one line', async () => {
		const parent = privateTempDir();
		const dataDir = path.join(parent, 'data');
		const output = await failedStart(dataDir);
		const lines = output.split('\n').filter((l) => l.includes('chmod o+x'));
		expect(lines).toEqual([
			`The database runs as the user "postgres" (PostgreSQL refuses root), which cannot reach ${dataDir}/postgres: ` +
				`${parent} (mode 0700) needs search permission for it. Run \`chmod o+x ${parent}\`, or set DATA_DIR to a folder outside it.`
		]);
		expect(output).not.toMatch(/^\s+at /m);
		// Nothing was created: the parent is exactly as it was.
		expect(fs.readdirSync(parent)).toEqual([]);
		expect(fs.statSync(parent).mode & 0o777).toBe(0o700);

		// After the fix the message gave, the app starts.
		fs.chmodSync(parent, 0o701);
		const server = await startServer(dataDir);
		running.push(server);
		expect((await fetch(server.url + '/healthz')).status).toBe(200);
	});
});

describe('a first initialisation that fails', () => {
	it('leaves nothing behind, says why in one line, and the next start succeeds', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-init-'));
		fs.chmodSync(dataDir, 0o755);
		cleanup.push(dataDir);
		// A locale that does not exist makes initdb fail after its folder was made.
		const output = await failedStart(dataDir, { LC_ALL: 'xx_XX.UTF-8' });
		expect(output).toContain(
			`Could not create the database in ${dataDir}/postgres: initdb: error: invalid locale settings`
		);
		expect(output).not.toMatch(/^\s+at /m);
		expect(fs.readdirSync(dataDir)).toEqual([]);

		const server = await startServer(dataDir);
		running.push(server);
		expect((await fetch(server.url + '/healthz')).status).toBe(200);
	});
});
