// A NUL character (%00) in any form field or address, and a number too big for the database,
// get a 400 with a message, never a 500: PostgreSQL's text cannot hold NUL, and a failed
// statement's log line would quote the values (a learner's answers). This app has its own
// database so its log can be read, and so "nothing changed" can be checked table by table.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from './support/app';
import { type Account, BASICS_QUIZ, expectStatus, FIXTURE, signUp } from './support/client';
import { fingerprint, openSql, userId } from './support/database';
import { answering, basicsRight, takeQuiz } from './support/quiz';
import { buildWorld, type World } from './support/world';

const ADVANCED_QUIZ = `${FIXTURE}/advanced/quiz`;
// A learner's answer that must never reach the log.
const PRIVATE_ANSWER = 'my-private-answer-7f3a';

let app: App;
let sql: ReturnType<typeof openSql>;
let world: World;
let team: string;
let certificate: string;
let learner: Account;
let coachRequest: string;

beforeAll(async () => {
	app = await startApp(inject('postgresUrl'), 'security_nul_bytes', 6);
	sql = openSql(app.databaseUrl);
	world = await buildWorld(app.url, sql);
	team = world.params.team![0]!;
	certificate = world.params.id![0]!;
	// A learner with a text question in front of them, and a coach request waiting for an admin.
	learner = await signUp(app.url, 'Nul Learner', 'nul');
	expectStatus(await learner.client.post(`${FIXTURE}?/enrol`), 303);
	for (const lesson of ['basics/first-steps', 'basics/second-steps', 'advanced/deep-dive'])
		expectStatus(await learner.client.post(`${FIXTURE}/${lesson}?/done`), 303);
	await takeQuiz(learner.client, BASICS_QUIZ, basicsRight);
	expectStatus(await learner.client.post(`${ADVANCED_QUIZ}?/start`), 303);
	expectStatus(
		await learner.client.post('/account?/requestCoach', { note: 'I run the Tuesday group.' }),
		303
	);
	const [row] = await sql`select id from coach_requests
		where user_id = ${await userId(sql, learner.email)}`;
	coachRequest = row!.id as string;
}, 180_000);

afterAll(async () => {
	await sql?.end();
	await app?.stop();
});

async function expectRefused(res: Response, message: RegExp) {
	expect(res.status).toBe(400);
	expect(await res.text()).toMatch(message);
}

const NUL = /contains a NUL character/;

describe('a NUL character', () => {
	it('in any field of a coach, learner or admin form gets a 400 and changes nothing', async () => {
		const before = await fingerprint(sql);
		const coach = world.coach.client;
		const admin = world.admin.client;
		const cases: [Account['client'], string, Record<string, string>][] = [
			[coach, '/coach?/create', { name: 'Harriers\0' }],
			[coach, '/coach?/create', { name: 'Harriers', description: 'Tuesday\0nights' }],
			[coach, `/coach/teams/${team}?/assign`, { course: 'fixture-course', note: 'Read\0 it' }],
			[learner.client, '/account?/requestCoach', { note: 'Coach\0 me' }],
			[
				admin,
				'/admin/coach-requests?/decide',
				{ id: coachRequest, decision: 'declined', reason: 'No\0' }
			],
			[admin, '/admin/certificates?/revoke', { id: certificate, reason: 'Fraud\0 found' }],
			// In a field's name, not its value.
			[coach, '/coach?/create', { name: 'Harriers', 'desc\0ription': 'x' }]
		];
		for (const [client, path, fields] of cases)
			await expectRefused(await client.post(path, fields), NUL);
		expect(await fingerprint(sql)).toEqual(before);
	});

	it("in a quiz's text answer, saved or submitted, gets a 400 and the answer stays out of the log", async () => {
		const before = await fingerprint(sql);
		const a = (await answering(learner.client, ADVANCED_QUIZ)).type(
			'reuse-name',
			`${PRIVATE_ANSWER}\0`
		);
		for (const action of ['save', 'submit'])
			await expectRefused(await learner.client.post(`${ADVANCED_QUIZ}?/${action}`, a.fields), NUL);
		expect(await fingerprint(sql)).toEqual(before);
	});

	it("in an address's query (an admin's search) gets a 400; in a path, the route's 404", async () => {
		await expectRefused(await world.admin.client.get('/admin/certificates?q=a%00b'), /NUL/);
		expect((await world.admin.client.get('/verify/abc%00def')).status).toBe(404);
	});
});

describe('a number too big for the database', () => {
	it("as a save's revision gets a 400 with a message, and the answers are not saved", async () => {
		const before = await fingerprint(sql);
		const a = (await answering(learner.client, ADVANCED_QUIZ)).type('reuse-name', PRIVATE_ANSWER);
		for (const revision of ['2147483648', '99999999999999999999', '-1', '1.5'])
			await expectRefused(
				await learner.client.post(`${ADVANCED_QUIZ}?/save`, [...a.fields, ['revision', revision]]),
				/revision must be a whole number from 1 to 1,000,000,000/
			);
		expect(await fingerprint(sql)).toEqual(before);
		// A revision in range still saves.
		expect(
			(await learner.client.post(`${ADVANCED_QUIZ}?/save`, [...a.fields, ['revision', '7']])).status
		).toBe(303);
	});
});

describe('the log', () => {
	it("has no internal error and none of the learner's answers", () => {
		expect(app.server.output()).not.toMatch(/Error [0-9a-f-]{36}:/);
		expect(app.server.output()).not.toContain(PRIVATE_ANSWER);
	});
});
