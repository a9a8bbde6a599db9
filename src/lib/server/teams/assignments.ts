// Courses a coach assigns to a whole team or to chosen athletes in it. Those it reaches are
// enrolled when the course is assigned, and later joiners of the team (for whole-team ones) when
// they accept (invitations.ts). Withdrawing only stamps the assignment: enrolments, progress and
// certificates belong to the athlete and stay.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { now } from '../clock';
import { builtOnce, db } from '../db';
import {
	enrolments,
	teamAssignmentAthletes,
	teamAssignments,
	teamMembers,
	teams,
	users
} from '../db/schema';
import { findCourse } from '../content/catalog';
import { isUuid } from '../db/ids';
import { teamForCoach, type Coach } from './teams';
import { notifyAssignments } from '../notifications/notifications';
import { kickMailer } from '../jobs/queue';
import { assignmentAppliesTo } from './assigned';

export async function assignCourse(
	coach: Coach,
	teamId: string,
	input: { courseId: string; dueAt?: Date | null; note?: string; athleteIds?: string[] }
): Promise<
	| { ok: true; id: string }
	| { ok: false; reason: 'not-found' | 'unknown-course' | 'unknown-athlete' }
> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return { ok: false, reason: 'not-found' };
	const course = findCourse(input.courseId);
	if (!course) return { ok: false, reason: 'unknown-course' };
	const chosen = input.athleteIds ? [...new Set(input.athleteIds)] : undefined;
	if (chosen && (chosen.length === 0 || !chosen.every(isUuid)))
		return { ok: false, reason: 'unknown-athlete' };
	const result = await db().transaction(async (tx) => {
		const members = await tx
			.select({ userId: teamMembers.userId })
			.from(teamMembers)
			.where(
				and(
					eq(teamMembers.teamId, team.id),
					chosen ? inArray(teamMembers.userId, chosen) : undefined
				)
			);
		// Only athletes in this team right now can be chosen; anyone else is refused as a whole.
		if (chosen && members.length !== chosen.length)
			return { ok: false, reason: 'unknown-athlete' } as const;
		const [row] = await tx
			.insert(teamAssignments)
			.values({
				teamId: team.id,
				courseId: course.id,
				dueAt: input.dueAt ?? null,
				note: input.note || null,
				wholeTeam: !chosen,
				createdAt: now()
			})
			.returning({ id: teamAssignments.id });
		if (chosen)
			await tx
				.insert(teamAssignmentAthletes)
				.values(chosen.map((userId) => ({ assignmentId: row!.id, userId })));
		if (members.length)
			await tx
				.insert(enrolments)
				.values(
					members.map((m) => ({
						userId: m.userId,
						courseId: course.id,
						courseVersion: course.version
					}))
				)
				.onConflictDoNothing();
		await notifyAssignments(tx, [row!.id]);
		return { ok: true, id: row!.id } as const;
	});
	await kickMailer();
	return result;
}

/** Moves, sets or clears (null) the due date of an open assignment of this coach's team. */
export async function changeDueDate(
	coach: Coach,
	teamId: string,
	assignmentId: string,
	dueAt: Date | null
): Promise<boolean> {
	const team = await teamForCoach(coach, teamId);
	if (!team || !isUuid(assignmentId)) return false;
	const changed = await db()
		.update(teamAssignments)
		.set({ dueAt })
		.where(
			and(
				eq(teamAssignments.id, assignmentId),
				eq(teamAssignments.teamId, team.id),
				isNull(teamAssignments.withdrawnAt)
			)
		)
		.returning();
	return changed.length > 0;
}

export async function withdrawAssignment(
	coach: Coach,
	teamId: string,
	assignmentId: string
): Promise<boolean> {
	const team = await teamForCoach(coach, teamId);
	if (!team || !isUuid(assignmentId)) return false;
	const done = await db()
		.update(teamAssignments)
		.set({ withdrawnAt: now() })
		.where(
			and(
				eq(teamAssignments.id, assignmentId),
				eq(teamAssignments.teamId, team.id),
				isNull(teamAssignments.withdrawnAt)
			)
		)
		.returning();
	return done.length > 0;
}

/**
 * A team's open assignments, oldest first, each with the athletes it names (null when it is for
 * the whole team). One statement.
 */
export async function assignmentsOfTeam(teamId: string) {
	return db()
		.select({
			id: teamAssignments.id,
			teamId: teamAssignments.teamId,
			courseId: teamAssignments.courseId,
			dueAt: teamAssignments.dueAt,
			note: teamAssignments.note,
			wholeTeam: teamAssignments.wholeTeam,
			createdAt: teamAssignments.createdAt,
			withdrawnAt: teamAssignments.withdrawnAt,
			athleteIds: sql<string[] | null>`case when ${teamAssignments.wholeTeam} then null else
				(select coalesce(array_agg(${teamAssignmentAthletes.userId}::text), '{}')
				   from ${teamAssignmentAthletes}
				  where ${teamAssignmentAthletes.assignmentId} = ${teamAssignments.id}) end`
		})
		.from(teamAssignments)
		.where(and(eq(teamAssignments.teamId, teamId), isNull(teamAssignments.withdrawnAt)))
		.orderBy(asc(teamAssignments.createdAt));
}

/** Open assignments that reach this athlete in the teams they are in now, with their coach. */
export async function assignmentsForAthlete(userId: string) {
	return assignmentsOfAthlete().execute({ userId });
}

// Every dashboard view runs this query: it is built once.
const assignmentsOfAthlete = builtOnce((database) => {
	const userId = sql.placeholder('userId');
	return database
		.select({
			id: teamAssignments.id,
			courseId: teamAssignments.courseId,
			dueAt: teamAssignments.dueAt,
			note: teamAssignments.note,
			teamName: teams.name,
			coachName: users.name
		})
		.from(teamMembers)
		.innerJoin(teams, eq(teams.id, teamMembers.teamId))
		.innerJoin(users, eq(users.id, teams.coachId))
		.innerJoin(
			teamAssignments,
			and(
				eq(teamAssignments.teamId, teams.id),
				isNull(teamAssignments.withdrawnAt),
				assignmentAppliesTo(userId)
			)
		)
		.where(eq(teamMembers.userId, userId))
		.orderBy(asc(teamAssignments.dueAt), asc(teamAssignments.createdAt))
		.prepare('assignments_of_athlete');
});
