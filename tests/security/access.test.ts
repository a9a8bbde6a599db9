// Who may see and change what (SECURITY.md promise 4, the Access rows): object ids in URLs and
// forms are checked against the requester, strangers get 404, learners cannot reach coach or
// admin actions, and invitation links cannot be reused once spent, expired or withdrawn.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BASICS_QUIZ, Client, openBasicsQuiz, signUp, type Account } from './support/client';
import { openSql, userId } from './support/database';
import { answering, completeFixtureCourse } from './support/quiz';
import { coach, createTeam, invite, teamWithAthlete } from './support/teams';

const base = inject('appUrl');

/**
 * A 404, as a page or as its `__data.json` (which SvelteKit answers 200, carrying the load's
 * error as data).
 */
function expectNotFound(status: number, body: string, what: string) {
	if (what.includes('__data.json')) {
		const data = JSON.parse(body) as { nodes?: { type: string; status?: number }[] };
		expect(
			data.nodes?.find((n) => n?.type === 'error'),
			what
		).toMatchObject({ status: 404 });
	} else expect(status, what).toBe(404);
}
const sql = openSql(inject('appDatabaseUrl'));
afterAll(() => sql.end());

describe('one learner’s records, requested by another', () => {
	let owner: Account;
	let attemptPath: string;
	beforeAll(async () => {
		owner = await signUp(base, 'Owner');
		await openBasicsQuiz(owner.client);
		expect((await owner.client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		const wrong = (await answering(owner.client, BASICS_QUIZ))
			.choose('warm-first', 'Chill the pot')
			.choose('fresh-water', 'False');
		// One question left blank, confirmed as the page asks.
		const res = await owner.client.post(`${BASICS_QUIZ}?/submit`, [
			...wrong.fields,
			['confirm', 'unanswered']
		]);
		expect(res.status).toBe(303);
		attemptPath = res.headers.get('location')!;
		expect(attemptPath).toMatch(/\/attempts\/[0-9a-f-]{36}$/);
		expect((await owner.client.get(attemptPath)).status).toBe(200);
	});

	it('answers 404 for the attempt page and its data, enrolled or not', async () => {
		const intruder = await signUp(base, 'Intruder');
		for (const enrolled of [false, true]) {
			if (enrolled) await openBasicsQuiz(intruder.client);
			for (const path of [attemptPath, `${attemptPath}/__data.json`]) {
				const res = await intruder.client.get(path);
				expectNotFound(res.status, await res.clone().text(), `${path} (enrolled: ${enrolled})`);
				expect(await res.text()).not.toContain('Chill the pot');
			}
		}
		// Ids are random (v4 UUIDs), not counters to walk.
		expect(attemptPath.split('/').at(-1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
	});

	it('answers 404 for another learner’s certificate files', async () => {
		const holder = await signUp(base, 'Holder');
		const certificateId = await completeFixtureCourse(holder.client);
		for (const file of ['certificate.pdf', 'credential.jwt'])
			expect((await holder.client.get(`/certificates/${certificateId}/${file}`)).status).toBe(200);
		const intruder = await signUp(base, 'Cert Intruder');
		const holderId = await userId(sql, holder.email);
		for (const id of [certificateId, holderId, crypto.randomUUID()])
			for (const file of ['certificate.pdf', 'credential.jwt']) {
				const res = await intruder.client.get(`/certificates/${id}/${file}`);
				expect(res.status, `${id}/${file}`).toBe(404);
			}
		expect(await intruder.client.text('/certificates')).not.toContain(certificateId);
	});

	it('cannot submit or save into someone else’s attempt by naming it in the form', async () => {
		const intruder = await signUp(base, 'Form Intruder');
		await openBasicsQuiz(intruder.client);
		const attemptId = attemptPath.split('/').at(-1)!;
		for (const action of ['submit', 'save']) {
			const res = await intruder.client.post(`${BASICS_QUIZ}?/${action}`, {
				attempt: attemptId,
				attemptId,
				userId: await userId(sql, owner.email)
			});
			expect(res.status, action).toBe(409);
		}
		const [row] = await sql`select count(*)::int as n from quiz_attempts where id = ${attemptId}
			and submitted_at is not null`;
		expect(row!.n).toBe(1);
	});
});

describe('a coach and someone else’s team', () => {
	let coachA: Account;
	let coachB: Account;
	let teamA: string;
	let teamB: string;
	let athleteB: string;
	let codeB: string;
	beforeAll(async () => {
		coachA = await coach(base, sql, 'Coach A');
		coachB = await coach(base, sql, 'Coach B');
		teamA = await createTeam(coachA.client, 'Team A');
		const b = await teamWithAthlete(base, sql, coachB, await signUp(base, 'Athlete B'));
		teamB = b.teamId;
		athleteB = b.athleteId;
		codeB = b.code;
		expect((await coachB.client.get(`/coach/teams/${teamB}`)).status).toBe(200);
		expect((await coachB.client.get(`/coach/teams/${teamB}/athletes/${athleteB}`)).status).toBe(
			200
		);
	});

	it('reads nothing of team B: roster, progress, athlete, CSV', async () => {
		for (const path of [
			`/coach/teams/${teamB}`,
			`/coach/teams/${teamB}/__data.json`,
			`/coach/teams/${teamB}/grid.csv`,
			`/coach/teams/${teamB}/assign`,
			`/coach/teams/${teamB}/assign/__data.json`,
			`/coach/teams/${teamB}/athletes/${athleteB}`,
			`/coach/teams/${teamB}/athletes/${athleteB}/__data.json`,
			// Team A's URL with team B's athlete in it.
			`/coach/teams/${teamA}/athletes/${athleteB}`
		]) {
			const res = await coachA.client.get(path);
			expectNotFound(res.status, await res.clone().text(), path);
			expect(await res.text(), path).not.toContain('Athlete B');
		}
	});

	it('changes nothing of team B: invitations, assignments', async () => {
		const before = await teamState(teamB);
		const [inv] = await sql`select id from team_invitations where team_id = ${teamB}`;
		for (const [action, fields] of [
			['invite', { days: '7', maxUses: '5' }],
			['revoke', { id: inv!.id as string }],
			['assign', { course: 'fixture-course', due: '', note: 'mine now' }],
			['withdraw', { id: crypto.randomUUID() }]
		] as const) {
			const res = await coachA.client.post(`/coach/teams/${teamB}?/${action}`, fields);
			expect(res.status, action).toBe(404);
		}
		// The chosen-athletes page's own form, with team B's athlete.
		const chosen = await coachA.client.post(`/coach/teams/${teamB}/assign`, {
			course: 'fixture-course',
			to: 'chosen',
			athlete: athleteB
		});
		expect(chosen.status).toBe(404);
		// Team B's own ids through team A's URL.
		const res = await coachA.client.post(`/coach/teams/${teamA}?/revoke`, {
			id: inv!.id as string
		});
		expect(res.status).toBe(404);
		expect(await teamState(teamB)).toEqual(before);
		// Team B's link still works for a new athlete.
		const newcomer = await signUp(base, 'Newcomer');
		expect((await newcomer.client.post(`/join/${codeB}?/accept`)).status).toBe(303);
	});

	async function teamState(teamId: string) {
		return sql`select
			(select json_agg(i order by i.id) from team_invitations i where i.team_id = ${teamId}) as invitations,
			(select json_agg(a order by a.id) from team_assignments a where a.team_id = ${teamId}) as assignments,
			(select count(*)::int from team_members m where m.team_id = ${teamId}) as members`;
	}
});

describe('a learner posting to coach and admin actions', () => {
	it('is refused with 403/404 and nothing changes', async () => {
		const learner = await signUp(base, 'Climber');
		const coachC = await coach(base, sql, 'Coach C');
		const teamC = await createTeam(coachC.client, 'Team C');
		const learnerId = await userId(sql, learner.email);
		const before = await state(learnerId, teamC);
		const posts: [string, Record<string, string>][] = [
			['/coach?/create', { name: 'My own team' }],
			[`/coach/teams/${teamC}?/invite`, { days: '7', maxUses: '5' }],
			[`/coach/teams/${teamC}?/assign`, { course: 'fixture-course' }],
			[`/coach/teams/${teamC}?/withdraw`, { id: crypto.randomUUID() }],
			[
				'/admin/users?/update',
				{ id: learnerId, role: 'admin', status: 'active', timeMultiplier: '4' }
			],
			[
				'/admin/regrade?/apply',
				{ course: 'fixture-course', quiz: 'basics-quiz', reason: 'why not' }
			],
			['/admin/certificates?/revoke', { id: crypto.randomUUID() }],
			['/admin/certificates?/reinstate', { id: crypto.randomUUID() }]
		];
		for (const [path, fields] of posts) {
			const res = await learner.client.post(path, fields);
			expect([403, 404], path).toContain(res.status);
		}
		expect(await state(learnerId, teamC)).toEqual(before);
		expect((await learner.client.get('/admin/users')).status).toBe(404);
		expect((await learner.client.get('/coach')).status).toBe(404);
	});

	it('ignores role and team fields added to its own forms', async () => {
		const learner = await signUp(base, 'Sneaky');
		const coachD = await coach(base, sql, 'Coach D');
		const teamD = await createTeam(coachD.client, 'Team D');
		const extras = { role: 'admin', isAdmin: 'true', teamId: teamD, team: teamD, coachId: 'x' };
		const res = await learner.client.post('/account?/profile', { name: 'Sneaky Two', ...extras });
		expect(res.status).toBe(303);
		const email = `sneak-${crypto.randomUUID()}@example.com`;
		const made = await new Client(base).post('/signup', {
			name: 'Sneak',
			email,
			password: 'plum-tractor-71',
			...extras
		});
		expect(made.status).toBe(303);
		const rows = await sql<
			{ name: string; role: string }[]
		>`select name, role from users where email in (${learner.email}, ${email}) order by name`;
		expect(rows.map((r) => [r.name, r.role])).toEqual([
			['Sneak', 'learner'],
			['Sneaky Two', 'learner']
		]);
		expect(await sql`select 1 from team_members where team_id = ${teamD}`).toHaveLength(0);
	});

	async function state(learnerId: string, teamId: string) {
		return sql`select
			(select role from users where id = ${learnerId}) as role,
			(select time_multiplier from users where id = ${learnerId}) as multiplier,
			(select count(*)::int from teams where coach_id = ${learnerId}) as own_teams,
			(select count(*)::int from team_invitations where team_id = ${teamId}) as invitations,
			(select count(*)::int from team_assignments where team_id = ${teamId}) as assignments,
			(select count(*)::int from grade_changes) as regrades,
			(select count(*)::int from role_changes where user_id = ${learnerId}) as role_changes`;
	}
});

describe('invitation links', () => {
	it('refuses a link used up, expired or withdrawn, with a clear message', async () => {
		const c = await coach(base, sql, 'Coach E');
		const teamId = await createTeam(c.client, 'Team E');
		const once = await invite(c.client, sql, teamId, 1);
		const first = await signUp(base, 'First');
		expect((await first.client.post(`/join/${once}?/accept`)).status).toBe(303);
		// Accepting again (the link reused by the same athlete) changes nothing.
		const again = await first.client.post(`/join/${once}?/accept`);
		expect(again.status).toBe(400);
		expect(await again.text()).toContain('You are already in this team.');

		const cases: [string, string, RegExp][] = [];
		cases.push([once, 'used up', /used as many times as the coach allowed/]);
		const expired = await invite(c.client, sql, teamId);
		await sql`update team_invitations set expires_at = now() - interval '1 minute' where code = ${expired}`;
		cases.push([expired, 'expired', /This invitation has expired/]);
		const withdrawn = await invite(c.client, sql, teamId);
		const [inv] = await sql`select id from team_invitations where code = ${withdrawn}`;
		expect(
			(await c.client.post(`/coach/teams/${teamId}?/revoke`, { id: inv!.id as string })).status
		).toBe(303);
		cases.push([withdrawn, 'withdrawn', /withdrawn by the coach/]);
		cases.push([withdrawn.slice(0, -2), 'altered', /not valid/]);

		for (const [code, label, message] of cases) {
			const learner = await signUp(base, `Late ${label}`);
			const page = await learner.client.get(`/join/${code}`);
			expect(await page.text(), label).toMatch(message);
			const res = await learner.client.post(`/join/${code}?/accept`);
			expect(res.status, label).toBe(400);
			expect(await res.text(), label).toMatch(message);
		}
		const [members] =
			await sql`select count(*)::int as n from team_members where team_id = ${teamId}`;
		expect(members!.n).toBe(1);
	});
});
