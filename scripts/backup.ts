// `npm run backup [-- --out <folder>] [--timeout <seconds>]`: one consistent, timestamped backup
// file of the database and the certificate signing key. Works while the site runs (it reads from
// the running app's database), when it is stopped (it starts the embedded database briefly), and
// with DATABASE_URL. A backup that fails, runs out of time or is stopped leaves no file behind.
import './lib/environment.js';
import fs from 'node:fs';
import path from 'node:path';
import {
	BackupError,
	DEFAULT_TIMEOUT_SECONDS,
	writeBackup
} from '../src/lib/server/backup/archive';
import {
	RETIRED_KEYS_FILE,
	RSA_SIGNING_KEY_FILE,
	SIGNING_KEY_ENV,
	SIGNING_KEY_FILE
} from '../src/lib/server/certificates/keys';
import { AGE_SUFFIX, backupEncryption, encryptFile } from '../src/lib/server/backup/encryption';
import { dataDir } from '../src/lib/server/config';
import { DataDirError } from '../src/lib/server/db/embedded';
import { siteDatabase } from '../src/lib/server/db/site-database';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const USAGE = `Usage: npm run backup -- [--out <folder>] [--timeout <seconds>]

Writes one file, <folder>/stride-academy-<time>.backup.gz, holding every table of the site's
database (one consistent snapshot, taken while the site runs) and the certificate signing keys.
The database is the one \`npm start\` uses: DATABASE_URL, else the embedded one in DATA_DIR
(${dataDir()}).

Encryption (opt-in, age): with BACKUP_AGE_RECIPIENTS (age1… public keys) or BACKUP_PASSPHRASE
set, the file is <…>.backup.gz.age instead, and no clear copy is kept.

Options:
  --out <folder>        where to write the backup (default: backups)
  --timeout <seconds>   give up after this long, leaving no file (default: ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help            this text

Exit status: 0 written, 1 failed (one line says why), 2 a mistake on the command line.
Restore with: npm run restore -- <file>`;

const { values } = readCommandLine(USAGE, {
	options: {
		out: { type: 'string', default: 'backups' },
		timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) }
	}
});
const timeoutSeconds = Number(values.timeout);
if (!(timeoutSeconds > 0)) refuseUsage(USAGE, '--timeout takes a number of seconds above 0');
const outDir = path.resolve(values.out);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = path.join(outDir, `stride-academy-${stamp}.backup.gz`);

// SIGTERM (from `timeout`, a service manager) and Ctrl-C stop the backup cleanly: no partial
// file, the database connection closed, the embedded server (if this run started one) stopped.
const stopped = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
	process.once(signal, () => stopped.abort(signal));

let site: Awaited<ReturnType<typeof siteDatabase>> | undefined;
let exitCode = 0;
try {
	site = await siteDatabase();
	fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
	const keyFile = path.join(dataDir(), SIGNING_KEY_FILE);
	const key = backupEncryption();
	const { tables, bytes } = await writeBackup(site.url, file, {
		keys: {
			signingKey: keyFile,
			retiredKeys: path.join(dataDir(), RETIRED_KEYS_FILE),
			rsaSigningKey: path.join(dataDir(), RSA_SIGNING_KEY_FILE)
		},
		timeoutMs: timeoutSeconds * 1000,
		signal: stopped.signal
	});
	let written = file;
	if (key) {
		written = file + AGE_SUFFIX;
		try {
			await encryptFile(file, written, key);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}
	const how = key ? ('passphrase' in key ? ', encrypted with the passphrase' : ', encrypted') : '';
	console.log(
		`Backup written: ${written} (${tables} tables, ${Math.ceil(bytes / 1024)} KiB${how}).`
	);
	if (!fs.existsSync(keyFile))
		console.log(
			process.env[SIGNING_KEY_ENV]
				? `The signing key comes from ${SIGNING_KEY_ENV} and is not in the backup: keep it safe yourself.`
				: 'No certificate signing key exists yet; none is in the backup.'
		);
} catch (error) {
	const known = error instanceof BackupError || error instanceof DataDirError;
	console.error(
		`Backup failed: ${known ? error.message : String((error as Error)?.message ?? error)} No backup file was written.`
	);
	exitCode = 1;
} finally {
	await site?.close();
}
process.exit(exitCode);
