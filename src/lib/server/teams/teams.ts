// Teams and who is in them. Every function that takes a coach checks, through can(), that the
// team is theirs (as its coach or an assistant), and answers undefined/false otherwise so routes
// can give a 404.
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { can } from '../auth/can';
import { isUuid } from '../db/ids';
import { db } from '../db';
import { teamAssistants, teamMembers, teams, users, type Role, type Team } from '../db/schema';

export type Coach = { id: string; role: Role };
export type CoachedTeam = Team & { isOwner: boolean };

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

/** The teams this coach owns or assists, by name. */
export async function teamsOfCoach(coach: Coach): Promise<CoachedTeam[]> {
	if (!can(coach, 'view', { kind: 'team', coachId: coach.id })) return [];
	const rows = await db()
		.select()
		.from(teams)
		.where(
			or(
				eq(teams.coachId, coach.id),
				inArray(
					teams.id,
					db()
						.select({ id: teamAssistants.teamId })
						.from(teamAssistants)
						.where(eq(teamAssistants.userId, coach.id))
				)
			)
		)
		.orderBy(asc(teams.name));
	return rows.map((t) => ({ ...t, isOwner: t.coachId === coach.id }));
}

/**
 * The team if it exists and this coach may see it (its coach, or an assistant); undefined for
 * anything else (→ 404). One statement: the grid's statement count depends on it.
 */
export async function teamForCoach(coach: Coach, teamId: string): Promise<CoachedTeam | undefined> {
	if (!isUuid(teamId) || !isUuid(coach.id)) return undefined;
	const [row] = await db()
		.select({
			team: teams,
			assisting: sql<boolean>`exists (select 1 from ${teamAssistants}
				where ${teamAssistants.teamId} = ${teams.id} and ${teamAssistants.userId} = ${coach.id})`
		})
		.from(teams)
		.where(eq(teams.id, teamId));
	if (!row) return undefined;
	const assistantIds = row.assisting ? [coach.id] : [];
	return can(coach, 'view', { kind: 'team', coachId: row.team.coachId, assistantIds })
		? { ...row.team, isOwner: row.team.coachId === coach.id }
		: undefined;
}

/** The team only for its own coach: deleting it and managing assistants. */
export async function teamForOwner(coach: Coach, teamId: string): Promise<Team | undefined> {
	const team = await teamForCoach(coach, teamId);
	return team && can(coach, 'change', { kind: 'team-ownership', coachId: team.coachId })
		? team
		: undefined;
}

/**
 * Deletes the team with its roster, invitations and assignments. Enrolments, progress, attempts
 * and certificates are the athletes' own (keyed by athlete and course) and stay.
 */
export async function deleteTeam(coach: Coach, teamId: string): Promise<boolean> {
	const team = await teamForOwner(coach, teamId);
	if (!team) return false;
	const deleted = await db().delete(teams).where(eq(teams.id, team.id)).returning();
	return deleted.length > 0;
}

export async function rosterOf(teamId: string) {
	return (
		db()
			.select({
				id: users.id,
				name: users.name,
				joinedAt: teamMembers.joinedAt
			})
			.from(teamMembers)
			.innerJoin(users, eq(users.id, teamMembers.userId))
			// A removed account stays a member only so its answers count in anonymised statistics.
			.where(and(eq(teamMembers.teamId, teamId), isNull(users.deletedAt)))
			.orderBy(asc(users.name))
	);
}

/** The team's coach and its assistants, coach first: who sees the athletes' data. */
export async function coachesOf(teamId: string) {
	// Two lookups by key, not one join on "coach or assistant": PostgreSQL answers such an OR by
	// reading every account (0.8 ms with 1,000 learners on the site, 7 ms with 50,000).
	const rows = await db()
		.select({ id: users.id, name: users.name, owner: sql<boolean>`true` })
		.from(teams)
		.innerJoin(users, eq(users.id, teams.coachId))
		.where(eq(teams.id, teamId))
		.unionAll(
			db()
				.select({ id: users.id, name: users.name, owner: sql<boolean>`false` })
				.from(teamAssistants)
				.innerJoin(users, eq(users.id, teamAssistants.userId))
				.where(eq(teamAssistants.teamId, teamId))
		);
	return rows.sort((a, b) => Number(b.owner) - Number(a.owner) || a.name.localeCompare(b.name));
}

/** Only the team's own coach removes an assistant; the coach themselves is never an assistant. */
export async function removeAssistant(
	coach: Coach,
	teamId: string,
	assistantId: string
): Promise<boolean> {
	const team = await teamForOwner(coach, teamId);
	if (!team || !isUuid(assistantId)) return false;
	const removed = await db()
		.delete(teamAssistants)
		.where(and(eq(teamAssistants.teamId, team.id), eq(teamAssistants.userId, assistantId)))
		.returning();
	return removed.length > 0;
}

/** An assistant stepping down from a team they help with. */
export async function leaveAsAssistant(userId: string, teamId: string): Promise<boolean> {
	if (!isUuid(teamId)) return false;
	const left = await db()
		.delete(teamAssistants)
		.where(and(eq(teamAssistants.teamId, teamId), eq(teamAssistants.userId, userId)))
		.returning();
	return left.length > 0;
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
