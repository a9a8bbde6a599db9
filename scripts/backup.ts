// `npm run backup [-- --out <folder>]`: one consistent, timestamped backup file of the database
// and the certificate signing key. Works while the site runs (it reads from the running app's
// database), when it is stopped (it starts the embedded database briefly), and with DATABASE_URL.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeBackup } from '../src/lib/server/backup/archive';
import {
	RETIRED_KEYS_FILE,
	RSA_SIGNING_KEY_FILE,
	SIGNING_KEY_ENV,
	SIGNING_KEY_FILE
} from '../src/lib/server/certificates/keys';
import { dataDir, externalDatabaseUrl } from '../src/lib/server/config';
import { connect } from '../src/lib/server/db';
import {
	DataDirError,
	runningServerUrl,
	startEmbeddedDatabase
} from '../src/lib/server/db/embedded';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'backups' } } });
const outDir = path.resolve(values.out);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = path.join(outDir, `stride-academy-${stamp}.backup.gz`);

let embedded: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
let exitCode = 0;
try {
	fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
	const url =
		externalDatabaseUrl() ??
		runningServerUrl(dataDir()) ??
		(embedded = await startEmbeddedDatabase(dataDir(), () => {})).url;
	const { client } = connect(url, 1);
	try {
		const keyFile = path.join(dataDir(), SIGNING_KEY_FILE);
		const { tables, bytes } = await writeBackup(client, file, {
			signingKey: keyFile,
			retiredKeys: path.join(dataDir(), RETIRED_KEYS_FILE),
			rsaSigningKey: path.join(dataDir(), RSA_SIGNING_KEY_FILE)
		});
		console.log(`Backup written: ${file} (${tables} tables, ${Math.ceil(bytes / 1024)} KiB).`);
		if (!fs.existsSync(keyFile))
			console.log(
				process.env[SIGNING_KEY_ENV]
					? `The signing key comes from ${SIGNING_KEY_ENV} and is not in the backup: keep it safe yourself.`
					: 'No certificate signing key exists yet; none is in the backup.'
			);
	} finally {
		await client.end({ timeout: 5 });
	}
} catch (error) {
	console.error(
		`Backup failed: ${error instanceof DataDirError ? error.message : String((error as Error)?.message ?? error)}`
	);
	exitCode = 1;
} finally {
	await embedded?.stop();
}
process.exit(exitCode);
