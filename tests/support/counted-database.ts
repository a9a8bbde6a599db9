// Makes the app use a second connection to the test database that records every statement it
// sends, so a test can assert how many statements a service costs.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { useDatabase } from '../../src/lib/server/db';
import * as schema from '../../src/lib/server/db/schema';

/** Wires the counting connection in; the returned function lists what `fn` sent. */
export function countStatements(
	sql: postgres.Sql
): (fn: () => Promise<unknown>) => Promise<string[]> {
	const statements: string[] = [];
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
	return async (fn) => {
		statements.length = 0;
		await fn();
		return [...statements];
	};
}
