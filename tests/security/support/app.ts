// An app instance of the production build on a database of its own, on the suite's PostgreSQL.
// Ports: SECURITY_PORT_BASE + slot when set (machines where each engineer has a port range),
// else any free port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { withDatabase } from '../../support/database-url';
import { startServer, type RunningServer } from '../../support/server-process';

export interface App {
	url: string;
	databaseUrl: string;
	server: RunningServer;
	stop(): Promise<void>;
}

/** Every course the suite needs: the real one, the quiz fixture, and hostile Markdown. */
export const COURSES_DIR = [
	'courses',
	'tests/fixtures/courses',
	'tests/fixtures/security-courses'
].join(path.delimiter);

export const portFor = (slot: number) =>
	process.env.SECURITY_PORT_BASE ? Number(process.env.SECURITY_PORT_BASE) + slot : undefined;

/** Creates database `name` (empty) on the server at `postgresUrl`. */
export async function createDatabase(postgresUrl: string, name: string): Promise<string> {
	const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.unsafe(`create database ${name}`);
	} finally {
		await admin.end();
	}
	return withDatabase(postgresUrl, name);
}

/** Starts `node scripts/start.js` against `databaseUrl` (created fresh unless `existing`). */
export async function startApp(
	postgresUrl: string,
	name: string,
	slot: number,
	env: Record<string, string> = {},
	{ existing = false } = {}
): Promise<App> {
	const databaseUrl = existing
		? withDatabase(postgresUrl, name)
		: await createDatabase(postgresUrl, name);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `platform-${name}-`));
	const server = await startServer(
		dataDir,
		{
			DATABASE_URL: databaseUrl,
			COURSES_DIR,
			// Every request comes from 127.0.0.1: the per-address allowances would otherwise make
			// one test's sign-ups refuse the next's. Per-address throttling is tested with its own.
			LOGIN_ADDRESS_ALLOWANCE: '100000',
			SIGNUP_ADDRESS_ALLOWANCE: '100000',
			...env
		},
		portFor(slot)
	).catch((error: unknown) => {
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw error;
	});
	return {
		url: server.url,
		databaseUrl,
		server,
		async stop() {
			if (server.process.exitCode === null) server.process.kill('SIGTERM');
			await server.exited;
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
