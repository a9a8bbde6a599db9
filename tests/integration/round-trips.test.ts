// Each statement a request waits for is a round trip to PostgreSQL and, at a low request rate, a
// wake-up of the server of its own: the dearest part of a short statement (docs/performance.md,
// "Submit at a low rate"). Statements that do not need each other's answers leave together
// (inOrder). Counted through a proxy that sees every write the app makes.
import { sql as raw } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSqlCounter, type SqlCounter } from '../../scripts/bench/sql-counter';
import type { Course } from '../../src/lib/server/content/types';
import { connect, db, inOrder, useDatabase } from '../../src/lib/server/db';
import * as schema from '../../src/lib/server/db/schema';
import { enrol } from '../../src/lib/server/learning/progress';
import { startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import { person, useFixtureCourse } from '../support/builders';
import { freshDatabase } from '../support/fresh-database';

let counter: SqlCounter;
let course: Course;

beforeAll(async () => {
	const { url } = await freshDatabase();
	course = useFixtureCourse();
	const target = new URL(url);
	counter = await startSqlCounter({ host: target.hostname, port: Number(target.port) });
	const through = new URL(url);
	through.hostname = '127.0.0.1';
	through.port = String(counter.port);
	// One connection, as a transaction holds one, made the app's as db/index.ts makes its own.
	const { db: database, client } = connect(through.toString(), 1);
	useDatabase(database, client);
	await person('learner', 'Round Trip'); // the users table has a row to select from
	return async () => {
		await client.end();
		await counter.close();
	};
});

/** Round trips and statements `fn` made. */
async function counted(fn: () => Promise<unknown>) {
	await new Promise((r) => setTimeout(r, 20));
	counter.reset();
	await fn();
	await new Promise((r) => setTimeout(r, 20));
	return { roundTrips: counter.roundTrips(), statements: counter.count() };
}

describe('statements sent in order (inOrder)', () => {
	it('run in the order given, each seeing the ones before, in one round trip', async () => {
		await db().execute(raw`create sequence if not exists in_order_test`);
		let values: string[] = [];
		const run = () =>
			db().transaction(async (tx) => {
				const [a, b, c, d] = await inOrder(
					tx.execute<{ n: string }>(raw`select nextval('in_order_test')::text as n`),
					tx
						.select({ n: raw<string>`nextval('in_order_test')::text` })
						.from(schema.users)
						.limit(1),
					tx.execute<{ n: string }>(raw`select nextval('in_order_test')::text as n`),
					tx.execute<{ n: string }>(raw`select currval('in_order_test')::text as n`)
				);
				values = [a[0]!.n, b[0]!.n, c[0]!.n, d[0]!.n];
			});
		// The first time on a connection, postgres.js has PostgreSQL describe each new statement
		// and waits for that: the second run is the one that counts.
		await run();
		expect(values).toEqual(['1', '2', '3', '3']);
		const result = await counted(run);
		expect(values).toEqual(['4', '5', '6', '6']);
		// begin, the four statements, commit
		expect(result).toEqual({ roundTrips: 3, statements: 6 });
	});

	it('keeps the order of many statements of different kinds', async () => {
		const values = await db().transaction((tx) =>
			inOrder(
				...Array.from({ length: 30 }, (_, i) =>
					i % 2
						? tx.execute<{ n: string }>(raw`select nextval('in_order_test')::text as n`)
						: tx
								.select({ n: raw<string>`nextval('in_order_test')::text` })
								.from(schema.users)
								.limit(1)
				)
			)
		);
		const numbers = values.map((rows) => Number(rows[0]!.n));
		expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
		expect(new Set(numbers).size).toBe(30);
	});
});

describe('a submit', () => {
	it('grades, makes its review cards and writes its event in 5 round trips (8 statements)', async () => {
		const learner = await person('learner', 'Round Trip');
		await enrol(learner.id, course);
		const quiz = course.modules[0]!.quiz!;
		// A first submit prepares every statement on the connection (PostgreSQL describes each once).
		for (const measured of [false, true]) {
			const started = await startAttempt(learner.id, course, quiz);
			if (!started.ok) throw new Error('start refused');
			const read = started.attempt;
			const answers = Object.fromEntries(read.questions.map((q) => [q.id, 'a']));
			const result = await counted(async () => {
				const done = await submitAttempt(learner.id, read.id, course, quiz, answers, read);
				expect(done?.attempt.submittedAt).toBeTruthy();
			});
			// begin; the progress lock with the learner's records; the grade with the cards'
			// schedules; the cards with the graded event; commit.
			if (measured) expect(result).toEqual({ roundTrips: 5, statements: 8 });
		}
		const cards = await db().select().from(schema.reviewCards);
		expect(cards.length).toBeGreaterThan(0);
	});
});
