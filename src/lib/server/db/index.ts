// The database connection: the external PostgreSQL named by DATABASE_URL, or the embedded one.
// The app calls openDatabase() once at start (hooks.server.ts init) and closeDatabase() on shutdown.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { databasePoolSize, dataDir, externalDatabaseUrl } from '../config';
import { startEmbeddedDatabase } from './embedded';
import { siteDatabase } from './site-database';
import { runMigrations } from './migrate';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction, as drizzle hands it to `db().transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Where a query runs: the pool, or an open transaction. */
export type Executor = Database | Transaction;

interface Connection {
	db: Database;
	client: postgres.Sql;
	embedded?: { stop(): Promise<void> };
	url?: string;
	where?: string;
}

let current: Connection | undefined;

export function connect(url: string, max = 10): { db: Database; client: postgres.Sql } {
	const client = preparing(postgres(url, { max, onnotice: () => {} }));
	return { client, db: drizzle(client, { schema }) };
}

/**
 * Every statement with parameters becomes a prepared statement on its connection, so PostgreSQL
 * parses and plans each query once per connection instead of on every request (planning cost
 * more than running the app's small queries). Drizzle prepares only queries given a name, and
 * postgres.js's `unsafe`, which drizzle calls, prepares none by default. Transactions get a
 * client of their own, prepared the same way. Connections are recycled after their lifetime
 * (postgres.js's max_lifetime, 30–60 min), and their statements with them.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(sql: T): T {
	const unsafe = sql.unsafe.bind(sql);
	sql.unsafe = ((query: string, args?: postgres.ParameterOrJSON<never>[], options = {}) =>
		unsafe(query, args, { ...options, prepare: true })) as typeof sql.unsafe;
	if ('begin' in sql) {
		const begin = sql.begin.bind(sql) as (...a: unknown[]) => Promise<unknown>;
		sql.begin = ((...a: unknown[]) => {
			const fn = a.pop() as (tx: postgres.TransactionSql) => unknown;
			return begin(...a, (tx: postgres.TransactionSql) => fn(preparing(tx)));
		}) as typeof sql.begin;
	}
	return sql;
}

/** Starts (or connects to) PostgreSQL, applies pending migrations, and keeps the connection. */
export async function openDatabase(log: (m: string) => void = console.log): Promise<Database> {
	if (current) return current.db;
	const poolSize = databasePoolSize();
	const external = externalDatabaseUrl();
	const embedded = external ? undefined : await startEmbeddedDatabase(dataDir(), log);
	try {
		const url = external ?? embedded!.url;
		const { db, client } = connect(url, poolSize);
		await runMigrations(client);
		current = { db, client, embedded, url };
		return db;
	} catch (error) {
		await embedded?.stop();
		throw error;
	}
}

/**
 * For the CLIs: the database `npm start` uses (site-database.ts), with pending migrations
 * applied. Refuses with a DataDirError when DATA_DIR holds no database, unless `create` (then a
 * new one is made there, as `npm start` would). An embedded server started for the CLI is
 * stopped again by closeDatabase.
 */
export async function openDatabaseForCli(options: { create?: boolean } = {}): Promise<Database> {
	if (current) return current.db;
	const site = await siteDatabase(options);
	try {
		const { db, client } = connect(site.url, 2);
		current = {
			db,
			client,
			url: site.url,
			where: site.where,
			embedded: { stop: () => site.close() }
		};
		await runMigrations(client);
		return db;
	} catch (error) {
		await closeDatabase();
		throw error;
	}
}

/** Which database the CLI opened, in words: "the running site's database in /srv/data". */
export function openedDatabase(): string {
	return current?.where ?? 'no database';
}

export function db(): Database {
	if (!current) throw new Error('The database is not open yet.');
	return current.db;
}

/**
 * A query built once per open database, as a drizzle prepared query (values come as
 * `sql.placeholder`s): for the hottest paths, which would otherwise rebuild the same SQL text
 * from the query builder on every request.
 */
export function builtOnce<T>(build: (database: Database) => T): () => T {
	const built = new WeakMap<Database, T>();
	return () => {
		const database = db();
		let query = built.get(database);
		if (query === undefined) built.set(database, (query = build(database)));
		return query;
	};
}

/**
 * Statements of one transaction sent back to back, in one write and one round trip instead of
 * one each. A drizzle query starts when its `then` is called, which happens here in the order
 * given; PostgreSQL runs a connection's statements in the order they arrive, each after the one
 * before has finished, so a later statement sees what an earlier one locked or wrote (and takes
 * its snapshot only then). Pass statements not started yet (query builders), never promises
 * already running. postgres.js sends what it has at once when a statement takes its buffer past
 * 1 KB (a grade, review cards), so put such a statement last to keep the batch in one write.
 * At a low request rate each round trip is a wake-up of the server of its own, the dearest part
 * of a short statement on this kind of machine (docs/performance.md).
 */
export function inOrder<const T extends readonly PromiseLike<unknown>[]>(
	...statements: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
	return Promise.all(
		statements.map(
			(s) =>
				new Promise((resolve, reject) => {
					void s.then(resolve, reject);
				})
		)
	) as Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }>;
}

/** The open database's connection URL, for clients of their own (the job queue). */
export function databaseUrl(): string {
	if (!current?.url) throw new Error('The database is not open yet.');
	return current.url;
}

/** The open postgres.js client, for LISTEN (uploaded courses hear of a publish). */
export function databaseClient(): postgres.Sql {
	if (!current) throw new Error('The database is not open yet.');
	return current.client;
}

/** For tests: use a connection made elsewhere. */
export function useDatabase(database: Database, client: postgres.Sql): void {
	current = { db: database, client };
}

export async function closeDatabase(): Promise<void> {
	const c = current;
	current = undefined;
	if (!c) return;
	await c.client.end({ timeout: 5 });
	await c.embedded?.stop();
}

export async function databaseIsUp(): Promise<boolean> {
	if (!current) return false;
	try {
		await current.client`select 1`;
		return true;
	} catch {
		return false;
	}
}
