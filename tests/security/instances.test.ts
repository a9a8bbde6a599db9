// Several instances (DESIGN.md "Scale-out"): two app processes on different ports against one
// PostgreSQL (DATABASE_URL), started at the same moment on an empty database. They migrate it
// once between them, and share everything that matters between requests: sessions, log-in
// throttling, and the lock that grades an attempt once.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, startApp, type App } from './support/app';
import { Client, logIn, openBasicsQuiz, PASSWORD, signUp, BASICS_QUIZ } from './support/client';
import { accountThrottle, lengthenLock, openSql, userId } from './support/database';
import { answering, basicsRight } from './support/quiz';

const NAME = 'security_instances';
let a: App;
let b: App;
let sql: ReturnType<typeof openSql>;

beforeAll(async () => {
	const postgresUrl = inject('postgresUrl');
	await createDatabase(postgresUrl, NAME);
	// Both at once, on an empty database: each tries to apply every migration.
	[a, b] = await Promise.all([
		startApp(postgresUrl, NAME, 3, {}, { existing: true }),
		startApp(postgresUrl, NAME, 4, {}, { existing: true })
	]);
	sql = openSql(a.databaseUrl);
}, 180_000);

afterAll(async () => {
	await sql?.end();
	await Promise.all([a?.stop(), b?.stop()]);
});

/** The same browser, talking to the other instance (as a load balancer would send it). */
function onOther(client: Client, app: App): Client {
	const moved = new Client(app.url);
	for (const [k, v] of client.cookies) moved.cookies.set(k, v);
	return moved;
}

describe('two instances on one PostgreSQL', () => {
	it('migrated the database exactly once when both started together', async () => {
		const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
			entries: { tag: string }[];
		};
		const [row] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
		expect(row!.n).toBe(journal.entries.length);
		for (const app of [a, b]) {
			expect((await fetch(app.url + '/healthz')).status).toBe(200);
			expect(app.server.output()).not.toMatch(/error|already exists/i);
		}
	});

	it('share sessions: made on one, used and ended on the other', async () => {
		const { client } = await signUp(a.url, 'Roaming Runner');
		const onB = onOther(client, b);
		const page = await onB.get('/dashboard');
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Welcome, Roaming Runner');
		expect((await onB.post('/logout')).status).toBe(303);
		expect((await client.get('/dashboard')).status).toBe(303);
	});

	it('count failed log-ins across both', async () => {
		const { email } = await signUp(a.url, 'Guarded Runner');
		// Five failures in all, alternating between the instances, lock the account.
		for (let i = 0; i < 5; i++) {
			const app = i % 2 ? b : a;
			const res = await new Client(app.url).post('/login', { email, password: `wrong-${i}-x` });
			expect(res.status, `failure ${i + 1}`).toBe(400);
		}
		expect(await accountThrottle(sql, email)).toEqual({ failures: 5, locked: true });
		await lengthenLock(sql, email);
		// Both refuse it, whichever counted the last failure.
		for (const app of [a, b]) {
			const res = await new Client(app.url).post('/login', { email, password: PASSWORD });
			expect(res.status, app.url).toBe(429);
		}
	});

	it('grade a quiz once when it is submitted to both at once', async () => {
		const { client, email } = await signUp(a.url, 'Racing Runner');
		await openBasicsQuiz(client);
		expect((await client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		const right = basicsRight(await answering(client, BASICS_QUIZ)).fields;
		const onB = onOther(client, b);
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				(i % 2 ? onB : client).post(`${BASICS_QUIZ}?/submit`, right)
			)
		);
		expect(answers.map((r) => r.status)).toEqual(Array(20).fill(303));
		const rows = await sql`select id, percent from quiz_attempts
			where user_id = ${await userId(sql, email)} and quiz_id = 'basics-quiz'`;
		expect(rows).toHaveLength(1);
		expect(rows[0]!.percent).toBe(100);
		const [events] = await sql`select count(*)::int as n from domain_events
			where type = 'attempt.graded' and payload->>'attemptId' = ${rows[0]!.id as string}`;
		expect(events!.n).toBe(1);
		// Logged in afresh on B, the learner sees the one result.
		const again = await logIn(b.url, email);
		expect(await again.text(`${BASICS_QUIZ}`)).toContain('passed');
	});
});
