// `npm run restore -- <file>`: loads a backup made by `npm run backup` into an empty DATA_DIR
// (or the empty database named by DATABASE_URL), and puts the certificate signing key back.
// A data dir that holds anything is refused, so a restore never overwrites a live database.
import fs from 'node:fs';
import path from 'node:path';
import { BackupError, restoreBackup } from '../src/lib/server/backup/archive';
import {
	RETIRED_KEYS_FILE,
	RSA_SIGNING_KEY_FILE,
	SIGNING_KEY_FILE
} from '../src/lib/server/certificates/keys';
import { dataDir, externalDatabaseUrl, migrationsDir } from '../src/lib/server/config';
import { connect } from '../src/lib/server/db';
import { DataDirError, startEmbeddedDatabase } from '../src/lib/server/db/embedded';

const file = process.argv[2];
if (!file) {
	console.error('Usage: npm run restore -- <backup file>   (into an empty DATA_DIR)');
	process.exit(2);
}

const dir = dataDir();
const external = externalDatabaseUrl();
const keyFile = path.join(dir, SIGNING_KEY_FILE);
const retiredFile = path.join(dir, RETIRED_KEYS_FILE);
const rsaKeyFile = path.join(dir, RSA_SIGNING_KEY_FILE);
let embedded: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
let createdDir = false;
let exitCode = 0;
try {
	if (!fs.existsSync(file)) throw new BackupError(`No such file: ${file}`);
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
	const { client } = connect(url, 1);
	try {
		const { header, rows } = await restoreBackup(client, path.resolve(file), migrationsDir());
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
	} finally {
		await client.end({ timeout: 5 });
	}
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
}
process.exit(exitCode);
