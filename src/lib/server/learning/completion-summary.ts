// What the course completion page shows: the grades that count, the time spent (defined on
// the page: enrolment to completion, and the time inside quiz attempts), and the certificate.
import { and, asc, eq } from 'drizzle-orm';
import { db } from '../db';
import { certificates, enrolments, quizAttempts } from '../db/schema';
import type { Course } from '../content/types';
import { recordedGrade } from '../../quiz/scoring';

export async function completionSummary(userId: string, course: Course) {
	const [enrolment] = await db()
		.select()
		.from(enrolments)
		.where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, course.id)));
	const attempts = await db()
		.select({
			quizId: quizAttempts.quizId,
			startedAt: quizAttempts.startedAt,
			submittedAt: quizAttempts.submittedAt,
			percent: quizAttempts.percent,
			passed: quizAttempts.passed
		})
		.from(quizAttempts)
		.where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.courseId, course.id)))
		.orderBy(asc(quizAttempts.number));
	const [certificate] = await db()
		.select()
		.from(certificates)
		.where(and(eq(certificates.userId, userId), eq(certificates.courseId, course.id)));

	const graded = attempts.filter((a) => a.submittedAt && a.percent !== null);
	const gradeOf = (quiz: NonNullable<Course['finalExam']>) =>
		recordedGrade(
			graded
				.filter((a) => a.quizId === quiz.id)
				.map((a) => ({ percent: a.percent!, submittedAt: a.submittedAt!, passed: a.passed! })),
			quiz.settings.grade
		);
	// Only time inside attempts is measured; reading lessons leaves no trace of its length.
	const quizMs = graded.reduce(
		(sum, a) => sum + (a.submittedAt!.getTime() - a.startedAt.getTime()),
		0
	);
	return {
		enrolledAt: enrolment?.enrolledAt ?? null,
		completedAt: enrolment?.completedAt ?? null,
		quizMinutes: Math.round(quizMs / 60_000),
		attemptCount: graded.length,
		finalGrade: course.finalExam ? gradeOf(course.finalExam) : null,
		modules: course.modules.map((m) => ({
			title: m.title,
			lessons: m.lessons.map((l) => l.title),
			grade: m.quiz ? gradeOf(m.quiz) : null
		})),
		certificate: certificate ?? null
	};
}
