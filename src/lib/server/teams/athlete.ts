// What a coach sees of one athlete: progress per module and graded attempts in the team's
// assigned courses. Only for the team's own coach, and only while the athlete is a member.
import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { db } from '../db';
import { quizAttempts, users } from '../db/schema';
import { findCourse, findQuiz } from '../content/catalog';
import { progressOf } from '../learning/progress';
import { assignmentsOfTeam } from './assignments';
import { isUuid } from '../db/ids';
import { isMember, teamForCoach, type Coach } from './teams';

export async function athleteForCoach(coach: Coach, teamId: string, athleteId: string) {
	const team = await teamForCoach(coach, teamId);
	if (!team || !isUuid(athleteId) || !(await isMember(team.id, athleteId))) return undefined;
	const [athlete] = await db()
		.select({ id: users.id, name: users.name })
		.from(users)
		.where(and(eq(users.id, athleteId), isNull(users.deletedAt)));
	if (!athlete) return undefined;
	const courses = (await assignmentsOfTeam(team.id)).flatMap((a) => {
		const course = findCourse(a.courseId);
		return course ? [course] : [];
	});
	const ids = courses.map((c) => c.id);
	const attempts = ids.length
		? await db()
				.select({
					id: quizAttempts.id,
					courseId: quizAttempts.courseId,
					quizId: quizAttempts.quizId,
					number: quizAttempts.number,
					percent: quizAttempts.percent,
					passed: quizAttempts.passed,
					submittedAt: quizAttempts.submittedAt
				})
				.from(quizAttempts)
				.where(
					and(
						eq(quizAttempts.userId, athleteId),
						inArray(quizAttempts.courseId, ids),
						isNotNull(quizAttempts.submittedAt)
					)
				)
				.orderBy(desc(quizAttempts.submittedAt))
		: [];
	return {
		team: { id: team.id, name: team.name },
		athlete,
		courses: await Promise.all(
			courses.map(async (course) => {
				const progress = await progressOf(athleteId, course);
				return {
					id: course.id,
					title: course.title,
					percent: progress.percent,
					complete: progress.complete,
					modules: progress.modules.map((m) => ({ id: m.id, title: m.title, state: m.state })),
					attempts: attempts
						.filter((a) => a.courseId === course.id)
						.map((a) => ({
							id: a.id,
							quiz: findQuiz(course, a.quizId)?.quiz.title ?? a.quizId,
							number: a.number,
							percent: a.percent,
							passed: a.passed,
							submittedAt: a.submittedAt!
						}))
				};
			})
		)
	};
}
