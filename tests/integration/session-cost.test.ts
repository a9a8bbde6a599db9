// Every request validates its session, so that must stay one indexed query, writing only when
// the sliding renewal is due.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { useDatabase } from '../../src/lib/server/db';
import * as schema from '../../src/lib/server/db/schema';
import { freshDatabase } from '../support/fresh-database';

const DAY = 86_400_000;
const statements: string[] = [];
let userId: string;

beforeAll(async () => {
	const { sql } = await freshDatabase();
	const created = await createUser({
		name: 'Cost',
		email: 'cost@example.com',
		password: 'plum-tractor-71'
	});
	if (!created.ok) throw new Error(created.message);
	userId = created.value.id;
	// A second connection to the same test database that records every statement it sends.
	const options = sql.options as unknown as {
		host: string[];
		port: number[];
		database: string;
		user: string;
		pass: string;
	};
	const counted = postgres({
		host: options.host[0],
		port: options.port[0],
		database: options.database,
		username: options.user,
		password: options.pass,
		max: 1,
		debug: (_conn, query) => statements.push(query)
	});
	useDatabase(drizzle(counted, { schema }), counted);
});

async function count(fn: () => Promise<unknown>) {
	statements.length = 0;
	await fn();
	return [...statements];
}

describe('session validation cost', () => {
	it('is one query joining session and user when no renewal is due', async () => {
		const token = generateSessionToken();
		await createSession(token, userId);
		const sent = await count(() => validateSessionToken(token));
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatch(/from "sessions" inner join "users"/);
		expect(sent[0]).toMatch(/where "sessions"\."id" = \$1/);
	});

	it('adds one write when the sliding renewal is due', async () => {
		const token = generateSessionToken();
		const start = new Date();
		await createSession(token, userId, start);
		const sent = await count(() =>
			validateSessionToken(token, new Date(start.getTime() + 20 * DAY))
		);
		expect(sent).toHaveLength(2);
		expect(sent[1]).toMatch(/^update "sessions"/);
	});

	it('sends nothing to the database for a token of the wrong shape', async () => {
		expect(await count(() => validateSessionToken('not-a-token'))).toHaveLength(0);
	});
});
