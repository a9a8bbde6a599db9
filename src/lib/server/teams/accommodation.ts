// Extra time on timed quizzes. An admin sets it site-wide (users.time_multiplier, on
// /admin/users); a team's coach or assistant sets it for that team only: it applies to the
// courses the team assigned the athlete, and never lowers the admin's. The timer uses the larger
// (effectiveMultiplier). Every change is recorded with who made it and when.
import { and, desc, eq, sql } from 'drizzle-orm';
import { db, type Executor } from '../db';
import { accommodationChanges, teamAccommodations, teamMembers, teams, users } from '../db/schema';
import { isMember, teamForCoach, type Coach } from './teams';

export const MAX_EXTRA_PERCENT = 300;

/**
 * `extraPercent` 0–300 for this team's assigned courses: 50 gives half as long again. False when
 * the athlete is not reachable. Recorded with the coach who set it.
 */
export async function setAccommodation(
	coach: Coach,
	teamId: string,
	athleteId: string,
	extraPercent: number
): Promise<boolean> {
	if (!Number.isInteger(extraPercent) || extraPercent < 0 || extraPercent > MAX_EXTRA_PERCENT)
		return false;
	const team = await teamForCoach(coach, teamId);
	if (!team || !(await isMember(team.id, athleteId))) return false;
	const multiplier = 1 + extraPercent / 100;
	await db().transaction(async (tx) => {
		await tx
			.insert(teamAccommodations)
			.values({ teamId: team.id, userId: athleteId, multiplier, setBy: coach.id })
			.onConflictDoUpdate({
				target: [teamAccommodations.teamId, teamAccommodations.userId],
				set: { multiplier, setBy: coach.id, setAt: sql`now()` }
			});
		await tx
			.insert(accommodationChanges)
			.values({ userId: athleteId, teamId: team.id, multiplier, changedBy: coach.id });
	});
	return true;
}

/** The multiplier as the percentage people read: 1.5 → 50. */
export const extraPercentOf = (multiplier: number) => Math.round((multiplier - 1) * 100);

/** The extra time this team gives the athlete, as a percentage (0 when none). */
export async function teamAccommodationOf(teamId: string, athleteId: string): Promise<number> {
	const [row] = await db()
		.select({ m: teamAccommodations.multiplier })
		.from(teamAccommodations)
		.where(and(eq(teamAccommodations.teamId, teamId), eq(teamAccommodations.userId, athleteId)));
	return row ? extraPercentOf(row.m) : 0;
}

/**
 * The multiplier a new attempt at `courseId` gets: the admin's site-wide one, or a team's when
 * that team (which the athlete is still in) assigned them the course and gives more.
 */
export async function effectiveMultiplier(
	ex: Executor,
	userId: string,
	courseId: string
): Promise<number> {
	// Written out with aliases: drizzle drops table names from columns in a one-table select.
	const rows = await ex.execute<{ m: number }>(sql`
		select greatest(u.time_multiplier, coalesce((
			select max(ta.multiplier) from team_accommodations ta
			  join team_members tm on tm.team_id = ta.team_id and tm.user_id = ta.user_id
			 where ta.user_id = u.id
			   and exists (select 1 from team_assignments a
			                where a.team_id = ta.team_id and a.course_id = ${courseId}
			                  and a.withdrawn_at is null
			                  and (a.whole_team or exists (select 1 from team_assignment_athletes c
			                        where c.assignment_id = a.id and c.user_id = u.id)))), 1)) as m
		  from users u where u.id = ${userId}`);
	const row = rows[0];
	return row ? Number(row.m) : 1;
}

/** What an account's own page says: the site-wide extra time, and each team's for its courses. */
export async function accommodationOf(
	userId: string
): Promise<{ sitePercent: number; teams: { team: string; percent: number }[] }> {
	const [user] = await db()
		.select({ m: users.timeMultiplier })
		.from(users)
		.where(eq(users.id, userId));
	const byTeam = await db()
		.select({ team: teams.name, m: teamAccommodations.multiplier })
		.from(teamAccommodations)
		.innerJoin(teams, eq(teams.id, teamAccommodations.teamId))
		.innerJoin(
			teamMembers,
			and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, teamAccommodations.userId))
		)
		.where(and(eq(teamAccommodations.userId, userId), sql`${teamAccommodations.multiplier} > 1`))
		.orderBy(teams.name);
	return {
		sitePercent: user ? extraPercentOf(user.m) : 0,
		teams: byTeam.map((r) => ({ team: r.team, percent: extraPercentOf(r.m) }))
	};
}

/** Who set whose extra time, to what, and when (newest first), for tests and audits. */
export async function accommodationHistory(userId: string) {
	return db()
		.select({
			teamId: accommodationChanges.teamId,
			multiplier: accommodationChanges.multiplier,
			changedBy: accommodationChanges.changedBy,
			changedAt: accommodationChanges.changedAt,
			carriedOver: accommodationChanges.carriedOver
		})
		.from(accommodationChanges)
		.where(eq(accommodationChanges.userId, userId))
		.orderBy(desc(accommodationChanges.changedAt), desc(accommodationChanges.id));
}
