// The quiz engine under attack (SECURITY.md promises 1–3, the Quiz rows): the answer key stays on
// the server mid-attempt, only the server grades, attempts are atomic and limited under real
// parallel requests, and the time limit is judged by server time.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BASICS_QUIZ, EXAM, FIXTURE, openBasicsQuiz, signUp } from './support/client';
import { openSql, userId } from './support/database';
import { answering, basicsRight, examRight, passModules } from './support/quiz';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
afterAll(() => sql.end());

const fixtureDir = 'tests/fixtures/courses/fixture-course';

/** Text only the answer key holds, read from the quiz files: explanations, feedback, accepted answers. */
function keyTexts(): string[] {
	const out = new Set<string>();
	const walk = (v: unknown, key = '') => {
		if (Array.isArray(v)) v.forEach((x) => walk(x, key));
		else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
		else if (typeof v === 'string' && ['explanation', 'feedback', 'accept'].includes(key))
			out.add(v);
	};
	for (const file of ['01-basics/quiz.yaml', '02-advanced/quiz.yaml', 'final-exam.yaml'])
		walk(parse(fs.readFileSync(path.join(fixtureDir, file), 'utf8')));
	return [...out];
}

/** Every file of the client build, as the server serves it. */
function clientFiles(dir = 'build/client'): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) return clientFiles(full);
		return /\.(js|css|json|svg|html|txt)$/.test(e.name)
			? ['/' + path.relative('build/client', full)]
			: [];
	});
}

interface AttemptRow {
	id: string;
	submitted_at: Date | null;
	score: number | null;
	percent: number | null;
	passed: boolean | null;
}

async function attemptsOf(email: string, quizId: string) {
	return sql<AttemptRow[]>`select id, submitted_at, score, percent, passed from quiz_attempts
		where user_id = ${await userId(sql, email)} and quiz_id = ${quizId} order by number`;
}

describe('the answer key mid-attempt', () => {
	it('is in no page, page data, script, stylesheet, static file or course file', async () => {
		const { client } = await signUp(base, 'Key Hunter');
		await passModules(client);
		// Open attempts on a module quiz and on the timed exam at once.
		expect((await client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		expect((await client.post(`${EXAM}?/start`)).status).toBe(303);
		const secrets = keyTexts();
		expect(secrets.length).toBeGreaterThan(10);
		const dataKeys = /["']?\b(correct|accept|answer|explanation|feedback|tolerance|seed)["']?\s*:/;

		const bodies: [string, string][] = [];
		for (const [page, shown] of [
			[BASICS_QUIZ, 'Chill the pot'],
			[`${BASICS_QUIZ}?q=2`, 'Freeze the water'],
			[`${BASICS_QUIZ}?q=3`, 'Good tea starts with fresh water'],
			[EXAM, 'About forty minutes'],
			[`${EXAM}?q=3`, 'About forty minutes']
		] as const) {
			const html = await client.text(page);
			expect(html, page).toContain(shown);
			const url = new URL(page, base);
			const data = await client.text(`${url.pathname}/__data.json${url.search}`);
			expect(data, page).toContain(shown);
			bodies.push([page, html], [`${page} data`, data]);
		}
		const files = clientFiles();
		expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(10);
		for (const file of files) {
			const res = await client.get(file);
			expect(res.status, file).toBe(200);
			bodies.push([file, await res.text()]);
		}
		for (const [where, body] of bodies) {
			for (const secret of secrets)
				expect(body, `${where} holds "${secret}"`).not.toContain(secret);
			if (!where.startsWith('/_app')) expect(body, where).not.toMatch(dataKeys);
		}
		// The course's own files are never served, only its images.
		expect((await client.get(`${FIXTURE}/media/01-basics/square.svg`)).status).toBe(200);
		for (const file of [
			'01-basics/quiz.yaml',
			'final-exam.yaml',
			'course.yaml',
			'01-basics/01-first-steps.md',
			'01-basics/..%2Ffinal-exam.yaml',
			'..%2F..%2Ffixture-course%2Ffinal-exam.yaml',
			'01-basics/quiz.yaml%00.svg'
		]) {
			const res = await client.get(`${FIXTURE}/media/${file}`);
			expect(res.status, file).toBe(404);
			expect(await res.text(), file).not.toContain('correct');
		}
	});
});

describe('grading', () => {
	it('ignores score, pass and correctness fields, and client-sent times', async () => {
		const { client, email } = await signUp(base, 'Score Forger');
		await openBasicsQuiz(client);
		expect((await client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		const wrong = (await answering(client, BASICS_QUIZ))
			.choose('warm-first', 'Chill the pot')
			.choose('brew-steps', 'Freeze the water')
			.choose('fresh-water', 'False');
		const res = await client.post(`${BASICS_QUIZ}?/submit`, [
			...wrong.fields,
			['score', '100'],
			['maxScore', '1'],
			['percent', '100'],
			['passed', 'true'],
			['correct', 'true'],
			['q.warm-first.correct', 'true'],
			['results', '{"warm-first":{"correct":true}}'],
			['startedAt', new Date().toISOString()],
			['elapsed', '1']
		]);
		expect(res.status).toBe(303);
		const page = await client.text(res.headers.get('location')!);
		expect(page).toContain('Not passed yet');
		expect(page).toContain('You scored <strong>0%</strong>');
		const [row] = await attemptsOf(email, 'basics-quiz');
		expect(row).toMatchObject({ score: 0, percent: 0, passed: false });
	});

	it('answers malformed answers with 400 and a message, gives no credit, and keeps the attempt open', async () => {
		const { client, email } = await signUp(base, 'Form Mangler');
		await openBasicsQuiz(client);
		expect((await client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		const a = await answering(client, BASICS_QUIZ);
		const right = (q: string, label: string) => a.form.choices.get(`q.${q}`)!.get(label)!;
		const cases: [string, [string, string][], string][] = [
			[
				'an option of another question',
				[
					['shown', 'warm-first'],
					['q.warm-first', right('brew-steps', 'Measure the leaves')]
				],
				'That choice is not an option of this question.'
			],
			[
				'the authored id of the right option',
				[
					['shown', 'warm-first'],
					['q.warm-first', 'a']
				],
				'That choice is not an option of this question.'
			],
			[
				'an array for a single choice',
				[
					['shown', 'warm-first'],
					['q.warm-first', right('warm-first', 'Warm the pot')],
					['q.warm-first', right('warm-first', 'Chill the pot')]
				],
				'Give one answer only.'
			],
			[
				'duplicates and 10,000 values for a checkbox',
				[
					['shown', 'brew-steps'],
					...Array.from({ length: 10_000 }, (): [string, string] => [
						'q.brew-steps',
						right('brew-steps', 'Measure the leaves')
					])
				],
				'There are more choices than this question has options.'
			],
			[
				'a wrong type for true/false',
				[
					['shown', 'fresh-water'],
					['q.fresh-water', '{"value":true}']
				],
				'Answer true or false.'
			],
			[
				'a question that is not in the attempt',
				[
					['shown', 'green-temperature'],
					['q.green-temperature', '80']
				],
				'The form contains a question that is not part of your attempt.'
			]
		];
		for (const action of ['submit', 'save'])
			for (const [label, fields, message] of cases) {
				const res = await client.post(`${BASICS_QUIZ}?/${action}`, fields);
				expect(res.status, `${action}: ${label}`).toBe(400);
				expect(await res.text(), `${action}: ${label}`).toContain(message);
			}
		const rows = await attemptsOf(email, 'basics-quiz');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ submitted_at: null, score: null, passed: null });
		const [saved] = await sql`select answers from quiz_attempts where id = ${rows[0]!.id}`;
		expect(saved!.answers).toEqual({});
	});
});

describe('parallel requests', () => {
	it('grades an attempt once when it is submitted 20 times at once', async () => {
		const { client, email } = await signUp(base, 'Double Clicker');
		await openBasicsQuiz(client);
		expect((await client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		const right = basicsRight(await answering(client, BASICS_QUIZ)).fields;
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => client.post(`${BASICS_QUIZ}?/submit`, right))
		);
		expect(answers.map((r) => r.status)).toEqual(Array(20).fill(303));
		const locations = new Set(answers.map((r) => r.headers.get('location')));
		expect(locations.size).toBe(1);
		const rows = await attemptsOf(email, 'basics-quiz');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ passed: true, percent: 100 });
		const [events] = await sql`select count(*)::int as n from domain_events
			where type = 'attempt.graded' and payload->>'attemptId' = ${rows[0]!.id}`;
		expect(events!.n).toBe(1);
		// A finished attempt cannot be changed or resubmitted.
		const wrong = [
			['shown', 'fresh-water'],
			['q.fresh-water', 'false']
		] as [string, string][];
		expect((await client.post(`${BASICS_QUIZ}?/save`, wrong)).status).toBe(409);
		await client.post(`${BASICS_QUIZ}?/submit`, wrong);
		expect(await attemptsOf(email, 'basics-quiz')).toEqual(rows);
	});

	it('creates at most maxAttempts attempts from 20 parallel starts', async () => {
		const { client, email } = await signUp(base, 'Starter');
		await passModules(client);
		const startTwenty = () =>
			Promise.all(Array.from({ length: 20 }, () => client.post(`${EXAM}?/start`)));
		// The exam allows 2 attempts.
		for (const round of [1, 2, 3]) {
			const statuses = (await startTwenty()).map((r) => r.status);
			expect(
				statuses.every((s) => s < 500),
				`round ${round}: ${statuses.join(' ')}`
			).toBe(true);
			const rows = await attemptsOf(email, 'final-exam');
			expect(rows, `round ${round}`).toHaveLength(Math.min(round, 2));
			if (round < 3) {
				expect(statuses).toContain(303);
				// Other questions left blank on purpose: confirmed, as the page asks.
				const done = await client.post(`${EXAM}?/submit`, [
					['shown', 'leaves-per-cup'],
					['q.leaves-per-cup', '7'],
					['confirm', 'unanswered']
				]);
				expect(done.status).toBe(303);
			} else expect(statuses).toEqual(Array(20).fill(409));
		}
	});
});

describe('the time limit', () => {
	it('is judged by server time: answers sent after the deadline do not count', async () => {
		const { client, email } = await signUp(base, 'Late Runner');
		await passModules(client);
		expect((await client.post(`${EXAM}?/start`)).status).toBe(303);
		const right = examRight(await answering(client, EXAM)).fields;
		// One answer saved in time.
		const saved = await client.post(`${EXAM}?/save`, [
			['shown', 'leaves-per-cup'],
			['q.leaves-per-cup', '1']
		]);
		expect(saved.status).toBe(303);
		// Ten minutes pass on the server's clock for this attempt (a 5-minute limit).
		const [open] = await attemptsOf(email, 'final-exam');
		await sql`update quiz_attempts set started_at = started_at - interval '10 minutes',
			deadline_at = deadline_at - interval '10 minutes' where id = ${open!.id}`;
		// A client claiming it started just now changes nothing.
		const res = await client.post(`${EXAM}?/submit`, [
			...right,
			['startedAt', new Date().toISOString()],
			['deadlineAt', new Date(Date.now() + 3600_000).toISOString()],
			['elapsed', '10']
		]);
		expect(res.status).toBe(303);
		const [row] = await attemptsOf(email, 'final-exam');
		expect(row!.submitted_at).not.toBeNull();
		// Graded on what was saved in time: one question of three.
		expect(row!.percent).toBeCloseTo(100 / 3, 1);
		expect(row!.passed).toBe(false);
		expect(await client.text(res.headers.get('location')!)).toContain('Not passed yet');
	});

	it('closes an expired attempt on the next save instead of storing the answers', async () => {
		const { client, email } = await signUp(base, 'Later Runner');
		await passModules(client);
		expect((await client.post(`${EXAM}?/start`)).status).toBe(303);
		const right = examRight(await answering(client, EXAM)).fields;
		await sql`update quiz_attempts set deadline_at = now() - interval '5 minutes'
			where user_id = ${await userId(sql, email)} and quiz_id = 'final-exam'`;
		const res = await client.post(`${EXAM}?/save`, right);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toMatch(/\/attempts\//);
		const [row] = await attemptsOf(email, 'final-exam');
		expect(row).toMatchObject({ score: 0, passed: false });
	});
});
