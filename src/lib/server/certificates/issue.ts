// Issuing certificates: in the transaction that completes a course (see learning/completion.ts),
// exactly once per learner and course version (a unique index backs the advisory lock), and
// flagged, never silently removed, when a regrade later takes away the basis.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Transaction } from '../db';
import { certificateHistory, certificates, quizAttempts, users } from '../db/schema';
import type { Course } from '../content/types';
import { standing } from '../../quiz/standing';
import { newVerificationCode } from './codes';

/** The final exam's recorded grade (its grading rule), or null for a course without one. */
async function finalExamGrade(tx: Transaction, userId: string, course: Course) {
	const exam = course.finalExam;
	if (!exam) return null;
	const attempts = await tx
		.select({
			submittedAt: quizAttempts.submittedAt,
			percent: quizAttempts.percent,
			passed: quizAttempts.passed
		})
		.from(quizAttempts)
		.where(
			and(
				eq(quizAttempts.userId, userId),
				eq(quizAttempts.courseId, course.id),
				eq(quizAttempts.quizId, exam.id)
			)
		)
		.orderBy(asc(quizAttempts.number));
	return standing(exam, attempts).grade;
}

/** The certificate for a course just completed; null if the course gives none or one exists. */
export async function issueCertificate(
	tx: Transaction,
	userId: string,
	course: Course,
	completedAt: Date
): Promise<{ id: string; code: string } | null> {
	if (!course.certificate) return null;
	const [user] = await tx
		.select({ name: sql<string>`coalesce(${users.certificateName}, ${users.name})` })
		.from(users)
		.where(eq(users.id, userId));
	if (!user) return null;
	const [issued] = await tx
		.insert(certificates)
		.values({
			userId,
			courseId: course.id,
			courseVersion: course.version,
			code: newVerificationCode(),
			holderName: user.name,
			courseTitle: course.title,
			completedAt,
			scorePercent: await finalExamGrade(tx, userId, course),
			estimatedHours: Math.round((course.estimatedMinutes / 60) * 10) / 10
		})
		.onConflictDoNothing()
		.returning({ id: certificates.id, code: certificates.code });
	if (!issued) return null;
	await tx.insert(certificateHistory).values({ certificateId: issued.id, action: 'issued' });
	return issued;
}

/** After a regrade left the course incomplete: the certificate stays, marked for an admin. */
export async function flagCertificateBasis(
	tx: Transaction,
	userId: string,
	courseId: string,
	by: string | null,
	reason: string
) {
	const flagged = await tx
		.update(certificates)
		.set({ basisChangedAt: new Date() })
		.where(
			and(
				eq(certificates.userId, userId),
				eq(certificates.courseId, courseId),
				isNull(certificates.basisChangedAt),
				isNull(certificates.revokedAt)
			)
		)
		.returning({ id: certificates.id });
	for (const { id } of flagged)
		await tx
			.insert(certificateHistory)
			.values({ certificateId: id, action: 'basis-changed', by, reason });
}
