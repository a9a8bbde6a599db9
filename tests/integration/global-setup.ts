// Integration tests run against a real PostgreSQL: TEST_DATABASE_URL if set, else a private
// embedded server. A migrated template database is made once; each test file clones it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { TEMPLATE_DB, withDatabase } from '../support/database-url';

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}

let embedded: EmbeddedDatabase | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
	let url = process.env.TEST_DATABASE_URL;
	if (!url) {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-test-'));
		fs.chmodSync(dir, 0o755);
		embedded = await startEmbeddedDatabase(dir, () => {});
		url = embedded.url;
	}
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
	await admin.unsafe(`create database ${TEMPLATE_DB}`);
	await admin.end();
	const template = postgres(withDatabase(url, TEMPLATE_DB), { max: 2, onnotice: () => {} });
	await runMigrations(template);
	await template.end();
	project.provide('databaseUrl', url);
}

export async function teardown() {
	await embedded?.stop();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
