// Backups as one gzip file: a JSON header line (format, when, the migrations applied, each
// table's columns, and the certificate signing key), then each table's rows in PostgreSQL's COPY
// text format, ended by a `\.` line. All tables are read in one REPEATABLE READ transaction, so
// the file is one consistent snapshot however busy the site is (what pg_dump does too; the
// PostgreSQL client tools installed here are older than the embedded server, and pg_dump
// refuses a newer server, so the app reads and writes the rows itself).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';

export const BACKUP_FORMAT = 'stride-academy-backup/1';

interface TableInfo {
	name: string;
	columns: string[];
}

export interface BackupHeader {
	format: typeof BACKUP_FORMAT;
	createdAt: string;
	/** `created_at` of each applied drizzle migration: its journal `when`. */
	migrations: number[];
	tables: TableInfo[];
	/** The contents of DATA_DIR/certificate-signing-key.json, when there is one. */
	signingKey: string | null;
	/**
	 * The contents of DATA_DIR/certificate-retired-keys.json, when there is one: certificates
	 * signed before a key rotation verify with these. Absent from backups made before it was kept.
	 */
	retiredKeys?: string | null;
	/**
	 * The contents of DATA_DIR/certificate-signing-key-rs256.json (the VC-JWT's RSA key), when there
	 * is one. Absent from backups made before credentials were signed RS256.
	 */
	rsaSigningKey?: string | null;
}

/** The key files a backup carries, by their path in DATA_DIR (null or missing: none). */
export interface KeyFiles {
	signingKey: string | null;
	retiredKeys: string | null;
	rsaSigningKey?: string | null;
}

const readIfThere = (file: string | null) =>
	file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;

export class BackupError extends Error {}

/** Our tables in the public schema, parents before the tables that refer to them. */
async function tablesInOrder(sql: postgres.Sql | postgres.TransactionSql): Promise<TableInfo[]> {
	const tables = await sql<{ name: string; columns: string[] }[]>`
		select c.relname as name,
		       array_agg(a.attname::text order by a.attnum) as columns
		  from pg_class c
		  join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
		                      and a.attgenerated = ''
		 where c.relkind = 'r'
		 group by c.relname
		 order by c.relname`;
	const edges = await sql<{ child: string; parent: string }[]>`
		select c.relname as child, p.relname as parent
		  from pg_constraint k
		  join pg_class c on c.oid = k.conrelid
		  join pg_class p on p.oid = k.confrelid
		  join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		 where k.contype = 'f' and k.conrelid <> k.confrelid`;
	const ordered: TableInfo[] = [];
	const done = new Set<string>();
	const visit = (t: TableInfo, path: Set<string>) => {
		if (done.has(t.name) || path.has(t.name)) return;
		path.add(t.name);
		for (const e of edges.filter((e) => e.child === t.name)) {
			const parent = tables.find((x) => x.name === e.parent);
			if (parent) visit(parent, path);
		}
		done.add(t.name);
		ordered.push({ name: t.name, columns: [...t.columns] });
	};
	for (const t of tables) visit(t, new Set());
	return ordered;
}

/** Writes a backup of the database behind `sql` (and the certificate key files, if any) to `file`. */
export async function writeBackup(
	sql: postgres.Sql,
	file: string,
	keys: KeyFiles
): Promise<{ tables: number; bytes: number }> {
	const gzip = zlib.createGzip();
	const out = fs.createWriteStream(file, { mode: 0o600, flags: 'wx' });
	const written = pipeline(gzip, out);
	const write = async (chunk: string | Buffer) => {
		if (!gzip.write(chunk)) await once(gzip, 'drain');
	};
	let count = 0;
	try {
		await sql.begin('isolation level repeatable read read only', async (tx) => {
			const tables = await tablesInOrder(tx);
			const [state] = await tx<{ migrated: boolean }[]>`
				select to_regclass('drizzle.__drizzle_migrations') is not null as migrated`;
			const migrations = state?.migrated
				? await tx<{ created_at: string }[]>`
						select created_at from drizzle.__drizzle_migrations order by created_at`
				: [];
			const header: BackupHeader = {
				format: BACKUP_FORMAT,
				createdAt: new Date().toISOString(),
				migrations: migrations.map((m) => Number(m.created_at)),
				tables,
				signingKey: readIfThere(keys.signingKey),
				retiredKeys: readIfThere(keys.retiredKeys),
				rsaSigningKey: readIfThere(keys.rsaSigningKey ?? null)
			};
			await write(JSON.stringify(header) + '\n');
			for (const t of tables) {
				const rows = await tx`copy ${tx(t.name)} (${tx(t.columns)}) to stdout`.readable();
				for await (const chunk of rows) await write(chunk as Buffer);
				await write('\\.\n');
				count++;
			}
		});
		gzip.end();
		await written;
	} catch (error) {
		gzip.destroy();
		await written.catch(() => {});
		fs.rmSync(file, { force: true });
		throw error;
	}
	return { tables: count, bytes: fs.statSync(file).size };
}

/** The header and a line reader positioned after it. */
async function openBackup(file: string) {
	let input: fs.ReadStream;
	try {
		input = fs.createReadStream(file);
		await once(input, 'open');
	} catch (error) {
		throw new BackupError(`Cannot read ${file}: ${(error as Error).message}`);
	}
	const lines = readline
		.createInterface({ input: input.pipe(zlib.createGunzip()), crlfDelay: Infinity })
		[Symbol.asyncIterator]();
	let header: BackupHeader;
	try {
		const first = await lines.next();
		header = JSON.parse(first.done ? '' : first.value) as BackupHeader;
	} catch {
		throw new BackupError(`${file} is not a backup made by \`npm run backup\`.`);
	}
	if (header?.format !== BACKUP_FORMAT)
		throw new BackupError(`${file} is not a backup made by \`npm run backup\`.`);
	return { header, lines };
}

/** Our migrations folder cut to the first `count` entries, for migrating to a backup's level. */
function migrationsUpTo(migrationsDir: string, count: number): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-migrations-'));
	const journal = JSON.parse(
		fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')
	) as { entries: { tag: string }[] };
	fs.mkdirSync(path.join(dir, 'meta'));
	const entries = journal.entries.slice(0, count);
	fs.writeFileSync(
		path.join(dir, 'meta', '_journal.json'),
		JSON.stringify({ ...journal, entries })
	);
	for (const e of entries)
		fs.copyFileSync(path.join(migrationsDir, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
	return dir;
}

/**
 * Loads a backup into an empty database: migrates it to the backup's level, copies the rows in
 * one transaction, then applies any newer migrations. The header holds the key files to write back.
 */
export async function restoreBackup(
	sql: postgres.Sql,
	file: string,
	migrationsDir: string
): Promise<{ header: BackupHeader; rows: number }> {
	const { header, lines } = await openBackup(file);
	const [used] = await sql<{ n: number }[]>`
		select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
		 where c.relkind = 'r' and n.nspname in ('public', 'drizzle')`;
	if (used!.n > 0)
		throw new BackupError(
			'The database is not empty. Restore only into a new, empty database (or DATA_DIR).'
		);
	const journal = JSON.parse(
		fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')
	) as { entries: { when: number }[] };
	const ours = journal.entries.map((e) => e.when);
	if (header.migrations.some((when, i) => ours[i] !== when))
		throw new BackupError(
			'This backup was made by a newer or different version of the app: update the app first.'
		);
	const partial = migrationsUpTo(migrationsDir, header.migrations.length);
	try {
		await migrate(drizzle(sql), { migrationsFolder: partial });
	} finally {
		fs.rmSync(partial, { recursive: true, force: true });
	}
	let rows = 0;
	await sql.begin(async (tx) => {
		for (const t of header.tables) {
			const stream: Writable =
				await tx`copy ${tx(t.name)} (${tx(t.columns)}) from stdin`.writable();
			const done = new Promise<void>((resolve, reject) => {
				stream.once('finish', resolve);
				stream.once('error', reject);
			});
			for (;;) {
				const next = await lines.next();
				if (next.done) throw new BackupError(`${file} ends in the middle of table ${t.name}.`);
				if (next.value === '\\.') break;
				rows++;
				if (!stream.write(next.value + '\n')) await once(stream, 'drain');
			}
			stream.end();
			await done;
		}
	});
	await migrate(drizzle(sql), { migrationsFolder: migrationsDir });
	return { header, rows };
}
