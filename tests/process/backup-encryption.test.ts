// Encrypted backups (age): `npm run backup` with a passphrase or a recipient key writes only
// `….backup.gz.age`; `npm run restore` opens it with the matching passphrase or identity, and a
// wrong one is refused in one line before anything is touched. Run against a site with 2 workers:
// the CLI finds the primary's database.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, startServer, type RunningServer } from '../support/server-process';

const run = promisify(execFile);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-age-'));
fs.chmodSync(root, 0o755);
let server: RunningServer;
beforeAll(async () => {
	server = await startServer(path.join(root, 'site'), { WORKERS: '2' });
	const res = await postForm(server, '/signup', {
		name: 'Kept Secret',
		email: 'secret@example.com',
		password: 'plum-tractor-71'
	});
	expect(res.status).toBe(303);
}, 120_000);
afterAll(async () => {
	server?.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(root, { recursive: true, force: true });
});

const cli = (script: string, args: string[], env: Record<string, string>) =>
	run(process.execPath, ['--import', 'tsx', script, ...args], {
		env: { ...process.env, ...env }
	}).then(
		(r) => ({ code: 0, out: r.stdout + r.stderr }),
		(e: { code: number; stdout: string; stderr: string }) => ({
			code: e.code,
			out: e.stdout + e.stderr
		})
	);

function backupIn(dir: string): string {
	const files = fs.readdirSync(dir);
	expect(files.filter((f) => f.endsWith('.backup.gz'))).toEqual([]);
	const sealed = files.filter((f) => f.endsWith('.backup.gz.age'));
	expect(sealed).toHaveLength(1);
	const file = path.join(dir, sealed[0]!);
	expect(fs.readFileSync(file).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
	expect(fs.readFileSync(file).includes('secret@example.com')).toBe(false);
	return file;
}

describe('encrypted backups', () => {
	it('with a passphrase: restored with it, refused in one line with another', async () => {
		const out = path.join(root, 'pass-backups');
		const made = await cli('scripts/backup.ts', ['--out', out], {
			DATA_DIR: path.join(root, 'site'),
			BACKUP_PASSPHRASE: 'correct horse battery staple'
		});
		expect(made.code, made.out).toBe(0);
		expect(made.out).toMatch(/Backup written: .*\.backup\.gz\.age .*encrypted/);
		const file = backupIn(out);

		const wrongDir = path.join(root, 'wrong');
		const wrong = await cli('scripts/restore.ts', [file], {
			DATA_DIR: wrongDir,
			BACKUP_PASSPHRASE: 'not the passphrase'
		});
		expect(wrong.code).toBe(1);
		expect(wrong.out.trim().split('\n')).toHaveLength(1);
		expect(wrong.out).toContain('Cannot decrypt');
		expect(fs.existsSync(wrongDir)).toBe(false);

		const restored = await cli('scripts/restore.ts', [file], {
			DATA_DIR: path.join(root, 'restored-pass'),
			BACKUP_PASSPHRASE: 'correct horse battery staple'
		});
		expect(restored.code, restored.out).toBe(0);
		expect(restored.out).toMatch(/Restored \d+ rows/);
	}, 120_000);

	it('to a recipient key: restored with its identity, refused with another', async () => {
		const identity = await generateIdentity();
		const out = path.join(root, 'key-backups');
		const made = await cli('scripts/backup.ts', ['--out', out], {
			DATA_DIR: path.join(root, 'site'),
			BACKUP_AGE_RECIPIENTS: await identityToRecipient(identity)
		});
		expect(made.code, made.out).toBe(0);
		const file = backupIn(out);

		const other = await cli('scripts/restore.ts', [file], {
			DATA_DIR: path.join(root, 'other'),
			BACKUP_AGE_IDENTITY: await generateIdentity()
		});
		expect(other.code).toBe(1);
		expect(other.out.trim().split('\n')).toHaveLength(1);
		expect(other.out).toContain('Cannot decrypt');

		const keyFile = path.join(root, 'backup.key');
		fs.writeFileSync(keyFile, `# created for the test\n${identity}\n`, { mode: 0o600 });
		const restored = await cli('scripts/restore.ts', [file], {
			DATA_DIR: path.join(root, 'restored-key'),
			BACKUP_AGE_IDENTITY: keyFile
		});
		expect(restored.code, restored.out).toBe(0);
		expect(restored.out).toMatch(/Restored \d+ rows/);
	}, 120_000);
});
