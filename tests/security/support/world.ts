// A small populated site for the tests that attack every route: a learner with a certificate,
// an open attempt and a team, their coach, an admin, and the ids that fill each route parameter.
import type postgres from 'postgres';
import { BASICS_QUIZ, expectStatus, signUp, type Account } from './client';
import { setRole, userId } from './database';
import { completeFixtureCourse } from './quiz';
import { createTeam, invite } from './teams';

export interface World {
	learner: Account;
	coach: Account;
	admin: Account;
	/** Route parameter → real values to try (the fuzzer adds made-up ones). */
	params: Record<string, string[]>;
}

export async function buildWorld(base: string, sql: postgres.Sql): Promise<World> {
	const learner = await signUp(base, 'World Learner', 'world');
	const coach = await signUp(base, 'World Coach', 'world-coach');
	await setRole(sql, coach.email, 'coach');
	const admin = await signUp(base, 'World Admin', 'world-admin');
	await setRole(sql, admin.email, 'admin');
	const team = await createTeam(coach.client, 'World Team');
	const inviteCode = await invite(coach.client, sql, team);
	expectStatus(await learner.client.post(`/join/${inviteCode}?/accept`), 303);
	const certificate = await completeFixtureCourse(learner.client);
	// An open attempt too (the module quiz can be retaken).
	expectStatus(await learner.client.post(`${BASICS_QUIZ}?/start`), 303);
	const [cert] = await sql`select code from certificates where id = ${certificate}`;
	const verifyCode = cert!.code as string;
	const attempts = await sql<{ id: string }[]>`select id from quiz_attempts
		where user_id = ${await userId(sql, learner.email)}`;
	// The unsubscribe page's token: a real one if a mail was queued yet, else one that matches none.
	const tokens = await sql<{ t: string }[]>`select unsubscribe_token as t from email_preferences`;
	return {
		learner,
		coach,
		admin,
		params: {
			course: ['fixture-course', 'hip-flexor-pain'],
			module: ['basics', 'advanced'],
			lesson: ['first-steps', 'deep-dive'],
			attempt: attempts.map((a) => a.id),
			team: [team],
			athlete: [await userId(sql, learner.email)],
			code: [inviteCode, verifyCode],
			id: [certificate],
			file: ['01-basics/square.svg'],
			token: tokens.length ? tokens.map((r) => r.t) : ['AAAAAAAAAAAAAAAAAAAAAA'],
			// An uploaded course's version, a signing key's id and a status list's number: none exist
			// here, which the routes answer with 404 (the attacks are refused before that).
			version: ['1'],
			kid: ['no-such-key'],
			list: ['1']
		}
	};
}

/** The first real value of each parameter, with `code` chosen for the route it fills. */
export function firstParams(world: World, routeId: string): Record<string, string> {
	const out = Object.fromEntries(Object.entries(world.params).map(([k, v]) => [k, v[0]!]));
	if (routeId.includes('/verify/')) out.code = world.params.code![1]!;
	return out;
}
