// `npm run restore -- <file>`: loads a backup made by `npm run backup` into an empty DATA_DIR
// (or the empty database named by DATABASE_URL), and puts the certificate signing key back.
// A data dir that holds anything is refused, so a restore never overwrites a live database.
import './lib/environment.js';
import fs from 'node:fs';
import path from 'node:path';
import {
	BackupError,
	DEFAULT_TIMEOUT_SECONDS,
	restoreBackup
} from '../src/lib/server/backup/archive';
import {
	RETIRED_KEYS_FILE,
	RSA_SIGNING_KEY_FILE,
	SIGNING_KEY_FILE
} from '../src/lib/server/certificates/keys';
import { AGE_SUFFIX, decryptFile } from '../src/lib/server/backup/encryption';
import { dataDir, externalDatabaseUrl, migrationsDir } from '../src/lib/server/config';
import os from 'node:os';
import { DataDirError, startEmbeddedDatabase } from '../src/lib/server/db/embedded';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const USAGE = `Usage: npm run restore -- <backup file> [--timeout <seconds>]

Loads a backup made by \`npm run backup\` into an empty DATA_DIR (${dataDir()}), or into the
empty database DATABASE_URL names, with the certificate signing keys it holds. A data dir or
database that holds anything is refused: set DATA_DIR to a new folder, restore, then start the
site on it.

An encrypted backup (….backup.gz.age) needs BACKUP_AGE_IDENTITY (the AGE-SECRET-KEY-1… or a
file holding it) or BACKUP_PASSPHRASE.

Options:
  --timeout <seconds>   give up after this long, undoing the restore (default: ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help            this text`;

const { values, positionals } = readCommandLine(USAGE, {
	allowPositionals: true,
	options: { timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) } }
});
const file = positionals[0];
if (!file) refuseUsage(USAGE, 'name the backup file to restore');
if (positionals.length > 1)
	refuseUsage(USAGE, `one backup file at a time, not ${positionals.length}`);
const timeoutSeconds = Number(values.timeout);
if (!(timeoutSeconds > 0)) refuseUsage(USAGE, '--timeout takes a number of seconds above 0');

const stopped = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
	process.once(signal, () => stopped.abort(signal));

const dir = dataDir();
const external = externalDatabaseUrl();
const keyFile = path.join(dir, SIGNING_KEY_FILE);
const retiredFile = path.join(dir, RETIRED_KEYS_FILE);
const rsaKeyFile = path.join(dir, RSA_SIGNING_KEY_FILE);
let embedded: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
let createdDir = false;
let exitCode = 0;
let clearCopy: string | undefined;
try {
	if (!fs.existsSync(file)) throw new BackupError(`No such file: ${file}`);
	// Decrypted first (a wrong key is said before anything is touched), into a private folder.
	let source = path.resolve(file);
	if (file.endsWith(AGE_SUFFIX)) {
		clearCopy = path.join(
			fs.mkdtempSync(path.join(os.tmpdir(), 'restore-')),
			path.basename(file, AGE_SUFFIX)
		);
		await decryptFile(source, clearCopy);
		source = clearCopy;
	}
	if (!external && fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
		throw new BackupError(
			`The data directory ${dir} is not empty. Restore only into an empty one: ` +
				'set DATA_DIR to a new folder (or move this one away) and run the restore again.'
		);
	for (const f of external ? [keyFile, retiredFile, rsaKeyFile] : [])
		if (fs.existsSync(f))
			throw new BackupError(`${f} exists already; move it away to restore the backup's keys.`);
	createdDir = !external && !fs.existsSync(dir);
	const url = external ?? (embedded = await startEmbeddedDatabase(dir, () => {})).url;
	const { header, rows } = await restoreBackup(url, source, migrationsDir(), {
		timeoutMs: timeoutSeconds * 1000,
		signal: stopped.signal
	});
	for (const [content, target] of [
		[header.signingKey, keyFile],
		[header.retiredKeys ?? null, retiredFile],
		[header.rsaSigningKey ?? null, rsaKeyFile]
	] as const)
		if (content !== null) {
			fs.mkdirSync(dir, { recursive: true });
			fs.writeFileSync(target, content, { mode: 0o600, flag: 'wx' });
		}
	console.log(
		`Restored ${rows} rows from the backup of ${header.createdAt}` +
			(external ? '' : ` into ${dir}`) +
			(header.signingKey !== null
				? `, with the certificate signing key${header.retiredKeys ? ' and the retired keys' : ''}.`
				: '.')
	);
} catch (error) {
	const known = error instanceof BackupError || error instanceof DataDirError;
	console.error(`Restore failed: ${known ? error.message : String(error)}`);
	exitCode = 1;
	// Whatever this run created would make the next attempt refuse: take it away again.
	if (embedded) {
		await embedded.stop();
		embedded = undefined;
		if (createdDir) fs.rmSync(dir, { recursive: true, force: true });
		else
			for (const f of fs.readdirSync(dir))
				fs.rmSync(path.join(dir, f), { recursive: true, force: true });
	}
} finally {
	await embedded?.stop();
	if (clearCopy) fs.rmSync(path.dirname(clearCopy), { recursive: true, force: true });
}
process.exit(exitCode);
