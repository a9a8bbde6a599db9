// Regrading after a content edit changed a question's key or points: a dry run that lists whose
// grade would change, then an apply that records who changed what, when and why.
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { db } from '../db';
import { gradeChanges, quizAttempts, users } from '../db/schema';
import type { Course } from '../content/types';
import type { Question, Quiz } from '../../quiz/types';
import { gradeAnswers, passed as isPassing } from '../../quiz/scoring';
import { changeProgressIn } from '../learning/completion';
import { flagCertificateBasis } from '../certificates/issue';

export interface RegradeChange {
	attemptId: string;
	userId: string;
	learner: string;
	email: string;
	number: number;
	oldPercent: number;
	newPercent: number;
	oldPassed: boolean;
	newPassed: boolean;
	oldScore: number;
	newScore: number;
	questions: Question[];
	results: ReturnType<typeof gradeAnswers>;
}

/** Attempts made against an older version of the quiz, graded again with the current keys. */
export async function previewRegrade(course: Course, quiz: Quiz): Promise<RegradeChange[]> {
	const rows = await db()
		.select({ attempt: quizAttempts, name: users.name, email: users.email })
		.from(quizAttempts)
		.innerJoin(users, eq(users.id, quizAttempts.userId))
		.where(
			and(
				eq(quizAttempts.courseId, course.id),
				eq(quizAttempts.quizId, quiz.id),
				isNotNull(quizAttempts.submittedAt),
				ne(quizAttempts.quizVersion, quiz.version)
			)
		);
	const current = new Map(quiz.questions.map((q) => [q.id, q]));
	const changes: RegradeChange[] = [];
	for (const { attempt, name, email } of rows) {
		// Questions the new version dropped keep the version the learner answered.
		const questions = attempt.questions.map((q) => current.get(q.id) ?? q);
		const grade = gradeAnswers(questions, attempt.answers);
		// Judged against the pass mark the attempt was taken under.
		const newPassed = isPassing(grade.percent, attempt.passPercent ?? quiz.settings.passPercent);
		if (grade.score === attempt.score && newPassed === attempt.passed) continue;
		changes.push({
			attemptId: attempt.id,
			userId: attempt.userId,
			learner: name,
			email,
			number: attempt.number,
			oldPercent: attempt.percent!,
			newPercent: grade.percent,
			oldPassed: attempt.passed!,
			newPassed,
			oldScore: attempt.score!,
			newScore: grade.score,
			questions,
			results: grade
		});
	}
	return changes;
}

export async function applyRegrade(
	course: Course,
	quiz: Quiz,
	adminId: string,
	reason: string
): Promise<RegradeChange[]> {
	const changes = await previewRegrade(course, quiz);
	const byLearner = new Map<string, RegradeChange[]>();
	for (const c of changes) byLearner.set(c.userId, [...(byLearner.get(c.userId) ?? []), c]);
	// One transaction for the whole regrade; each learner's share runs through changeProgressIn,
	// so a regrade that completes a module or the course is recorded like any other completion.
	await db().transaction(async (tx) => {
		for (const [userId, theirs] of byLearner) {
			const { progress } = await changeProgressIn(tx, userId, course, async () => {
				for (const c of theirs) {
					await tx
						.update(quizAttempts)
						.set({
							questions: c.questions,
							quizVersion: quiz.version,
							score: c.newScore,
							maxScore: c.results.maxScore,
							percent: c.newPercent,
							passed: c.newPassed,
							results: c.results.results
						})
						.where(eq(quizAttempts.id, c.attemptId));
					await tx.insert(gradeChanges).values({
						attemptId: c.attemptId,
						changedBy: adminId,
						reason,
						quizVersion: quiz.version,
						oldScore: c.oldScore,
						newScore: c.newScore,
						oldPassed: c.oldPassed,
						newPassed: c.newPassed
					});
				}
				return {
					result: undefined,
					events: theirs.map((c) => ({
						type: 'attempt.graded' as const,
						attemptId: c.attemptId,
						quizId: quiz.id,
						percent: c.newPercent,
						passed: c.newPassed,
						regraded: true
					}))
				};
			});
			// A certificate already issued stays; an admin decides what happens to it.
			if (!progress.complete) await flagCertificateBasis(tx, userId, course.id, adminId, reason);
		}
	});
	return changes;
}

export async function gradeHistory(attemptId: string) {
	return db()
		.select({
			changedAt: gradeChanges.changedAt,
			reason: gradeChanges.reason,
			oldScore: gradeChanges.oldScore,
			newScore: gradeChanges.newScore,
			by: users.name
		})
		.from(gradeChanges)
		.leftJoin(users, eq(users.id, gradeChanges.changedBy))
		.where(eq(gradeChanges.attemptId, attemptId));
}
