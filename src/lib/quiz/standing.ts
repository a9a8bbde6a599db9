// Where a learner stands on a quiz across their attempts: the grade that counts, whether it
// passes, and whether the review policy lets answers be shown yet.
import { quizPassed, recordedGrade } from './scoring';
import type { Quiz } from './types';

export interface AttemptRecord {
	submittedAt: Date | null;
	percent: number | null;
	passed: boolean | null;
}

export function standing(quiz: Pick<Quiz, 'settings'>, attempts: readonly AttemptRecord[]) {
	const graded = attempts
		.filter((a) => a.submittedAt && a.percent !== null)
		.map((a) => ({ percent: a.percent!, submittedAt: a.submittedAt!, passed: a.passed! }));
	const grade = recordedGrade(graded, quiz.settings.grade);
	const hasPassed = quizPassed(graded, quiz.settings.grade, quiz.settings.passPercent);
	const max = quiz.settings.maxAttempts;
	const outOfAttempts = max !== null && graded.length >= max;
	return {
		grade,
		passed: hasPassed,
		outOfAttempts,
		answersAllowed: !quiz.settings.answersOnlyWhenDone || hasPassed || outOfAttempts
	};
}

/**
 * When a new attempt may start after one submitted at `submittedAt`: the wait, rounded up to
 * the whole second, so the second the page announces is the first one the server accepts.
 */
export function retryAt(submittedAt: Date, waitMinutes: number): Date {
	return new Date(Math.ceil((submittedAt.getTime() + waitMinutes * 60_000) / 1000) * 1000);
}
