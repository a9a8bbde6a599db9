// Coaches, teams and invitations through the pages a coach uses, for the access tests.
import type postgres from 'postgres';
import { type Account, type Client, signUp } from './client';
import { setRole, userId } from './database';

export async function coach(base: string, sql: postgres.Sql, name: string): Promise<Account> {
	const account = await signUp(base, name, 'coach');
	await setRole(sql, account.email, 'coach');
	return account;
}

export async function createTeam(client: Client, name: string): Promise<string> {
	const res = await client.post('/coach?/create', { name });
	const location = res.headers.get('location') ?? '';
	const id = location.match(/\/coach\/teams\/([0-9a-f-]{36})$/)?.[1];
	if (res.status !== 303 || !id) throw new Error(`create team: ${res.status} ${location}`);
	return id;
}

/** A new invitation's code, as the coach would copy it from the team page. */
export async function invite(
	client: Client,
	sql: postgres.Sql,
	teamId: string,
	maxUses = 10
): Promise<string> {
	const res = await client.post(`/coach/teams/${teamId}?/invite`, {
		days: '7',
		maxUses: String(maxUses)
	});
	if (res.status !== 303) throw new Error(`invite: ${res.status}`);
	const [row] = await sql`select code from team_invitations where team_id = ${teamId}
		order by created_at desc limit 1`;
	return row!.code as string;
}

/** A learner in a coach's new team; returns the team id and the athlete's id. */
export async function teamWithAthlete(
	base: string,
	sql: postgres.Sql,
	coachAccount: Account,
	athlete: Account
) {
	const teamId = await createTeam(coachAccount.client, `Team of ${coachAccount.name}`);
	const code = await invite(coachAccount.client, sql, teamId);
	const joined = await athlete.client.post(`/join/${code}?/accept`);
	if (joined.status !== 303) throw new Error(`join: ${joined.status}`);
	return { teamId, athleteId: await userId(sql, athlete.email), code };
}
