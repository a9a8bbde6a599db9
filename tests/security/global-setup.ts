// The security suite runs against the production build: one embedded PostgreSQL for the whole
// run, and one app instance (`node scripts/start.js` with DATABASE_URL) that most test files
// share. Files that need a database of their own (the fuzzer, the instances test) start their
// own app on a database of this same server (support/app.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { startApp, type App } from './support/app';

declare module 'vitest' {
	export interface ProvidedContext {
		postgresUrl: string;
		appUrl: string;
		appDatabaseUrl: string;
	}
}

let embedded: EmbeddedDatabase | undefined;
let app: App | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-security-'));
	fs.chmodSync(dir, 0o755);
	embedded = await startEmbeddedDatabase(dir, () => {});
	try {
		app = await startApp(embedded.url, 'security_shared', 0);
	} catch (error) {
		await teardown();
		throw error;
	}
	project.provide('postgresUrl', embedded.url);
	project.provide('appUrl', app.url);
	project.provide('appDatabaseUrl', app.databaseUrl);
}

export async function teardown() {
	await app?.stop();
	await embedded?.stop();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
