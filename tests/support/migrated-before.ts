// A database as it stood before a given migration, for tests of data migrations: the journal's
// migrations up to (not including) the one whose tag ends with `name` are applied, from a copy of
// drizzle/ cut there. The app's runMigrations then applies the rest, as an upgrade would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';
import { migrationsDir } from '../../src/lib/server/config';

interface Journal {
	entries: { tag: string }[];
}

export async function migrateBefore(client: postgres.Sql, name: string): Promise<void> {
	const source = migrationsDir();
	const journalFile = path.join(source, 'meta', '_journal.json');
	const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal;
	// By name, not number: a migration renumbered in a merge is still found.
	const cut = journal.entries.findIndex((e) => e.tag.replace(/^\d+_/, '') === name);
	if (cut < 1) throw new Error(`No migration named ${name} after the first`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
	try {
		fs.cpSync(source, dir, { recursive: true });
		const kept = { ...journal, entries: journal.entries.slice(0, cut) };
		fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(kept));
		await migrate(drizzle(client), { migrationsFolder: dir });
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
