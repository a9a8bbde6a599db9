// The database a CLI (admin, backup, db:migrate) works on: the same one `npm start` uses, found
// the same way (DATABASE_URL, else the embedded server in DATA_DIR, default ./data, both also
// read from .env). A CLI never makes a second, empty database by mistake: when DATA_DIR holds
// none, it refuses and names the folder, unless it is asked to create one (db:migrate).
import fs from 'node:fs';
import path from 'node:path';
import { dataDir, externalDatabaseUrl } from '../config';
import { DataDirError, runningServerUrl, startEmbeddedDatabase } from './embedded';

export interface SiteDatabase {
	url: string;
	/** Where it is, for a CLI's closing line: "the running site's database in /srv/data". */
	where: string;
	/** Stops the embedded server if this call started one. */
	close(): Promise<void>;
}

/** Whether DATA_DIR holds a database `npm start` made (initialised by initdb). */
export function hasEmbeddedDatabase(dir: string): boolean {
	return fs.existsSync(path.join(dir, 'postgres', 'PG_VERSION'));
}

export function noDatabaseError(dir: string): DataDirError {
	const which = process.env.DATA_DIR ? 'DATA_DIR' : 'DATA_DIR is not set, so the default';
	return new DataDirError(
		`No site database in ${dir} (${which}). Set DATA_DIR (or DATABASE_URL) to the one the site ` +
			'uses, in the environment or in .env, or start the site once with `npm start` to create it.'
	);
}

export async function siteDatabase(options: { create?: boolean } = {}): Promise<SiteDatabase> {
	const external = externalDatabaseUrl();
	if (external) {
		const host = URL.canParse(external) ? new URL(external).host : 'DATABASE_URL';
		return {
			url: external,
			where: `the database at ${host} (DATABASE_URL)`,
			close: async () => {}
		};
	}
	const dir = dataDir();
	const running = runningServerUrl(dir);
	if (running)
		return { url: running, where: `the running site's database in ${dir}`, close: async () => {} };
	if (!options.create && !hasEmbeddedDatabase(dir)) throw noDatabaseError(dir);
	const embedded = await startEmbeddedDatabase(dir, () => {});
	return { url: embedded.url, where: `the database in ${dir}`, close: () => embedded.stop() };
}
