// Teams and who is in them. Every function that takes a coach checks, through can(), that the
// team is theirs, and answers undefined/false otherwise so routes can give a 404.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { can } from '../auth/can';
import { isUuid } from '../db/ids';
import { db } from '../db';
import { teamMembers, teams, users, type Role, type Team } from '../db/schema';

export type Coach = { id: string; role: Role };

export async function createTeam(
	coach: Coach,
	input: { name: string; season?: string; description?: string }
): Promise<Team | undefined> {
	if (!can(coach, 'change', { kind: 'team', coachId: coach.id })) return undefined;
	const [team] = await db()
		.insert(teams)
		.values({
			coachId: coach.id,
			name: input.name,
			season: input.season || null,
			description: input.description || null
		})
		.returning();
	return team;
}

export async function teamsOfCoach(coach: Coach): Promise<Team[]> {
	if (!can(coach, 'view', { kind: 'team', coachId: coach.id })) return [];
	return db().select().from(teams).where(eq(teams.coachId, coach.id)).orderBy(asc(teams.name));
}

/** The team if it exists and this coach may see it; undefined for anything else (→ 404). */
export async function teamForCoach(coach: Coach, teamId: string): Promise<Team | undefined> {
	if (!isUuid(teamId)) return undefined;
	const [team] = await db().select().from(teams).where(eq(teams.id, teamId));
	return team && can(coach, 'view', { kind: 'team', coachId: team.coachId }) ? team : undefined;
}

export async function rosterOf(teamId: string) {
	return (
		db()
			.select({ id: users.id, name: users.name, joinedAt: teamMembers.joinedAt })
			.from(teamMembers)
			.innerJoin(users, eq(users.id, teamMembers.userId))
			// A removed account stays a member only so its answers count in anonymised statistics.
			.where(and(eq(teamMembers.teamId, teamId), isNull(users.deletedAt)))
			.orderBy(asc(users.name))
	);
}

/** The teams an athlete is in, with each team's coach: what the account page lists. */
export async function membershipsOf(userId: string) {
	return db()
		.select({
			teamId: teams.id,
			name: teams.name,
			season: teams.season,
			coachName: users.name,
			joinedAt: teamMembers.joinedAt
		})
		.from(teamMembers)
		.innerJoin(teams, eq(teams.id, teamMembers.teamId))
		.innerJoin(users, eq(users.id, teams.coachId))
		.where(eq(teamMembers.userId, userId))
		.orderBy(asc(teams.name));
}

/** Leaving removes the membership row, which is all coach access rests on; progress stays. */
export async function leaveTeam(userId: string, teamId: string): Promise<boolean> {
	if (!isUuid(teamId)) return false;
	const left = await db()
		.delete(teamMembers)
		.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
		.returning();
	return left.length > 0;
}

/** Whether an athlete is, right now, in one of this team's rosters. */
export async function isMember(teamId: string, userId: string): Promise<boolean> {
	if (!isUuid(teamId) || !isUuid(userId)) return false;
	const [row] = await db()
		.select({ userId: teamMembers.userId })
		.from(teamMembers)
		.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
	return Boolean(row);
}
