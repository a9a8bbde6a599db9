// Extra time over HTTP, as an attacker on a team would try it: an assistant cannot take away the
// extra time an admin gave (admin 2.0, assistant 0% → the athlete still gets 2.0), and a coach's
// 300% applies only to the courses that team assigned, not to the whole site.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Account, EXAM, expectStatus, signUp } from './support/client';
import { openSql, setRole, userId } from './support/database';
import { passModules, takeQuiz } from './support/quiz';
import { coach, createTeam, invite } from './support/teams';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
afterAll(() => sql.end());

let admin: Account;
let headCoach: Account;
let assistant: Account;
let team: string;

beforeAll(async () => {
	admin = await signUp(base, 'Time Admin', 'time-admin');
	await setRole(sql, admin.email, 'admin');
	headCoach = await coach(base, sql, 'Time Coach');
	assistant = await coach(base, sql, 'Time Assistant');
	team = await createTeam(headCoach.client, 'Time Trialists');
	const res = await headCoach.client.post(`/coach/teams/${team}?/invite`, {
		days: '7',
		maxUses: '1',
		role: 'assistant'
	});
	expectStatus(res, 303);
	const [row] = await sql`select code from team_invitations
		where team_id = ${team} and role = 'assistant'`;
	expectStatus(await assistant.client.post(`/join/${row!.code as string}?/accept`), 303);
}, 120_000);

async function athleteInTeam(name: string) {
	const athlete = await signUp(base, name, 'time-athlete');
	const code = await invite(headCoach.client, sql, team);
	expectStatus(await athlete.client.post(`/join/${code}?/accept`), 303);
	return { ...athlete, id: await userId(sql, athlete.email) };
}

const assign = (course: string) =>
	headCoach.client.post(`/coach/teams/${team}?/assign`, { course, to: 'team' });

const setExtraTime = (who: Account, athleteId: string, percent: string) =>
	who.client.post(`/coach/teams/${team}/athletes/${athleteId}?/accommodation`, {
		extraPercent: percent
	});

/** Minutes the athlete's newest final-exam attempt allows (the exam is 5 minutes as written). */
async function newestExamMinutes(athleteId: string) {
	const [row] = await sql<{ minutes: number }[]>`
		select round(extract(epoch from deadline_at - started_at) / 60)::int as minutes
		  from quiz_attempts where user_id = ${athleteId} and quiz_id = 'final-exam'
		 order by number desc limit 1`;
	return row?.minutes;
}

describe("a coach's extra time", () => {
	it("cannot lower an admin's: admin sets 2.0, the assistant sets 0%, the exam still gets 10 minutes", async () => {
		expectStatus(await assign('fixture-course'), 303);
		const athlete = await athleteInTeam('Ada Accommodated');
		expectStatus(
			await admin.client.post('/admin/users?/update', {
				id: athlete.id,
				role: 'learner',
				status: 'active',
				timeMultiplier: '2'
			}),
			303
		);
		expectStatus(await setExtraTime(assistant, athlete.id, '0'), 303);
		await passModules(athlete.client);
		expectStatus(await athlete.client.post(`${EXAM}?/start`), 303);
		expect(await newestExamMinutes(athlete.id)).toBe(10);
		// The admin's setting is as the admin left it.
		const [user] = await sql`select time_multiplier from users where id = ${athlete.id}`;
		expect(user!.time_multiplier).toBe(2);
	});

	it("of 300% applies only to the team's assigned courses: 5 minutes before it assigns the course, 20 after", async () => {
		// A course of its own for this test: the team assigns everything but the fixture course.
		await sql`update team_assignments set withdrawn_at = now() where team_id = ${team}`;
		expectStatus(await assign('hip-flexor-pain'), 303);
		const athlete = await athleteInTeam('Bo Boosted');
		expectStatus(await setExtraTime(headCoach, athlete.id, '300'), 303);
		await passModules(athlete.client);
		// The fixture course is the athlete's own choice, not the team's: no extra time there.
		await takeQuiz(athlete.client, EXAM, (a) => {
			a.fields.push(['confirm', 'unanswered']);
			return a;
		});
		expect(await newestExamMinutes(athlete.id)).toBe(5);
		expectStatus(await assign('fixture-course'), 303);
		expectStatus(await athlete.client.post(`${EXAM}?/start`), 303);
		expect(await newestExamMinutes(athlete.id)).toBe(20);
		// Nothing site-wide changed.
		const [user] = await sql`select time_multiplier from users where id = ${athlete.id}`;
		expect(user!.time_multiplier).toBe(1);
	});
});
