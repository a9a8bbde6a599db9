// The periodic reminder scan: athletes whose assignment is due within three days, or has passed
// its due date, and who have not finished the course, get a notice (and an email) once per
// assignment and kind. `at` is passed in so tests run it with any clock.
import { and, eq, gt, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { enrolments, teamAssignments, teamMembers, users } from '../db/schema';
import { assignmentAppliesTo } from '../teams/assigned';
import { courseTitle, formatDay, notifyOnce } from './notifications';
import { courseUrl } from '../../routes';
import { publicAddress } from '../site/address';

const DAY = 24 * 60 * 60 * 1000;
export const DUE_SOON_DAYS = 3;
/** Assignments overdue for longer than this get no new overdue notice (say, on a first start). */
export const OVERDUE_WINDOW_DAYS = 7;

export async function scanReminders(
	at: Date = now()
): Promise<{ dueSoon: number; overdue: number }> {
	return db().transaction(async (tx) => {
		const rows = await tx
			.select({
				assignmentId: teamAssignments.id,
				courseId: teamAssignments.courseId,
				dueAt: teamAssignments.dueAt,
				userId: users.id,
				email: users.email
			})
			.from(teamAssignments)
			.innerJoin(teamMembers, eq(teamMembers.teamId, teamAssignments.teamId))
			.innerJoin(users, and(eq(users.id, teamMembers.userId), isNull(users.disabledAt)))
			.leftJoin(
				enrolments,
				and(eq(enrolments.userId, users.id), eq(enrolments.courseId, teamAssignments.courseId))
			)
			.where(
				and(
					isNull(teamAssignments.withdrawnAt),
					assignmentAppliesTo(teamMembers.userId),
					isNotNull(teamAssignments.dueAt),
					isNull(enrolments.completedAt),
					gt(teamAssignments.dueAt, new Date(at.getTime() - OVERDUE_WINDOW_DAYS * DAY)),
					lte(teamAssignments.dueAt, new Date(at.getTime() + DUE_SOON_DAYS * DAY)),
					// Only what no scan has written yet, so a quiet scan writes nothing.
					sql`not exists (select 1 from notifications n where n.user_id = ${users.id}
					    and n.assignment_id = ${teamAssignments.id}
					    and n.kind = case when ${teamAssignments.dueAt} <= ${at.toISOString()}::timestamptz
					                 then 'assignment.overdue' else 'assignment.due-soon' end)`
				)
			);
		const site = await publicAddress(tx);
		const open = (path: string) => new URL(path, site).href;
		const isOverdue = (r: (typeof rows)[number]) => r.dueAt!.getTime() <= at.getTime();
		const dueSoon = await notifyOnce(
			tx,
			'assignment.due-soon',
			rows.filter((r) => !isOverdue(r)),
			(r) => {
				const title = courseTitle(r.courseId);
				const day = formatDay(r.dueAt!);
				return {
					message: `“${title}” is due on ${day}.`,
					subject: `Reminder: “${title}” is due on ${day}`,
					text: `A reminder that “${title}” is due on ${day}, and you have not finished it yet.\n\nContinue here: ${open(courseUrl(r.courseId))}`
				};
			},
			at
		);
		const overdue = await notifyOnce(
			tx,
			'assignment.overdue',
			rows.filter(isOverdue),
			(r) => {
				const title = courseTitle(r.courseId);
				const day = formatDay(r.dueAt!);
				return {
					message: `“${title}” was due on ${day} and is not finished yet.`,
					subject: `Overdue: “${title}” was due on ${day}`,
					text: `“${title}” was due on ${day}, and you have not finished it yet. It is not too late.\n\nContinue here: ${open(courseUrl(r.courseId))}`
				};
			},
			at
		);
		return { dueSoon, overdue };
	});
}
