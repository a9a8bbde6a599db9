// What a coach sees of one athlete: progress per module, graded attempts in the team's assigned
// courses with the review the athlete themselves may see (no more: the quiz's review policy holds
// answers back from the coach exactly as from the athlete), and certificate status. Only for the
// team's coaches, and only while the athlete is a member.
import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { db } from '../db';
import { quizAttempts, users } from '../db/schema';
import { findCourse, findQuiz } from '../content/catalog';
import { progressOf } from '../learning/progress';
import { certificatesOf } from '../certificates/records';
import { reviewOf } from '../quiz/views';
import { standing } from '../../quiz/standing';
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
	const assigned = await assignmentsOfTeam(team.id);
	const courses = [
		...new Set(
			assigned
				.filter((a) => !a.athleteIds || a.athleteIds.includes(athleteId))
				.map((a) => a.courseId)
		)
	].flatMap((id) => {
		const course = findCourse(id);
		return course ? [course] : [];
	});
	const ids = courses.map((c) => c.id);
	const [attempts, certificates] = await Promise.all([
		ids.length
			? db()
					.select()
					.from(quizAttempts)
					.where(
						and(
							eq(quizAttempts.userId, athleteId),
							inArray(quizAttempts.courseId, ids),
							isNotNull(quizAttempts.submittedAt)
						)
					)
					.orderBy(desc(quizAttempts.submittedAt))
			: [],
		certificatesOf(athleteId)
	]);
	return {
		team: { id: team.id, name: team.name },
		athlete,
		courses: await Promise.all(
			courses.map(async (course) => {
				const progress = await progressOf(athleteId, course);
				const certificate = certificates.find((c) => c.courseId === course.id);
				const lessonLink = () => null;
				return {
					id: course.id,
					title: course.title,
					percent: progress.percent,
					complete: progress.complete,
					modules: progress.modules.map((m) => ({ id: m.id, title: m.title, state: m.state })),
					certificate: certificate
						? {
								issuedAt: certificate.issuedAt,
								revoked: Boolean(certificate.revokedAt)
							}
						: null,
					offersCertificate: Boolean(course.certificate),
					attempts: attempts
						.filter((a) => a.courseId === course.id)
						.map((a) => {
							const found = findQuiz(course, a.quizId);
							const sameQuiz = attempts.filter(
								(b) => b.courseId === a.courseId && b.quizId === a.quizId
							);
							const allowed = found ? standing(found.quiz, sameQuiz).answersAllowed : false;
							return {
								id: a.id,
								quiz: found?.quiz.title ?? a.quizId,
								number: a.number,
								percent: a.percent,
								passed: a.passed,
								submittedAt: a.submittedAt!,
								review: found ? reviewOf(a, found.quiz.settings, allowed, lessonLink) : []
							};
						})
				};
			})
		)
	};
}
