// Gives a test file its own database, cloned from the migrated template, wired in as the app's db.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import { closeDatabase, connect, useDatabase, type Database } from '../../src/lib/server/db';
import { TEMPLATE_DB, withDatabase } from './database-url';

export async function freshDatabase(): Promise<{ db: Database; sql: postgres.Sql; url: string }> {
	const base = inject('databaseUrl');
	const name = `test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
	const url = withDatabase(base, name);
	const { db, client } = connect(url, 10);
	useDatabase(db, client);
	afterAll(async () => {
		await closeDatabase();
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	});
	return { db, sql: client, url };
}
