// Courses a coach assigns to a whole team. Members are enrolled when the course is assigned,
// and later joiners when they accept (invitations.ts). Withdrawing only stamps the assignment:
// enrolments, progress and certificates belong to the athlete and stay.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { enrolments, teamAssignments, teamMembers, teams, users } from '../db/schema';
import { findCourse } from '../content/catalog';
import { isUuid } from '../db/ids';
import { teamForCoach, type Coach } from './teams';
import { notifyAssignments } from '../notifications/notifications';
import { kickMailer } from '../jobs/queue';

export async function assignCourse(
	coach: Coach,
	teamId: string,
	input: { courseId: string; dueAt?: Date | null; note?: string }
): Promise<{ ok: true; id: string } | { ok: false; reason: 'not-found' | 'unknown-course' }> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return { ok: false, reason: 'not-found' };
	const course = findCourse(input.courseId);
	if (!course) return { ok: false, reason: 'unknown-course' };
	const result = await db().transaction(async (tx) => {
		const [row] = await tx
			.insert(teamAssignments)
			.values({
				teamId: team.id,
				courseId: course.id,
				dueAt: input.dueAt ?? null,
				note: input.note || null,
				createdAt: now()
			})
			.returning({ id: teamAssignments.id });
		const members = await tx
			.select({ userId: teamMembers.userId })
			.from(teamMembers)
			.where(eq(teamMembers.teamId, team.id));
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

/** A team's open assignments, oldest first. */
export async function assignmentsOfTeam(teamId: string) {
	return db()
		.select()
		.from(teamAssignments)
		.where(and(eq(teamAssignments.teamId, teamId), isNull(teamAssignments.withdrawnAt)))
		.orderBy(asc(teamAssignments.createdAt));
}

/** Open assignments in the teams this athlete is in now, with the coach who set them. */
export async function assignmentsForAthlete(userId: string) {
	return db()
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
			and(eq(teamAssignments.teamId, teams.id), isNull(teamAssignments.withdrawnAt))
		)
		.where(eq(teamMembers.userId, userId))
		.orderBy(asc(teamAssignments.dueAt), asc(teamAssignments.createdAt));
}
