// What a result page offers first, so no result is a dead end: the next module after a pass,
// the lessons to review and when to retry after a fail, the completion page after the final.
import { completionUrl, courseUrl } from '../routes';
import type { CourseProgress } from './rules';

export type NextStep =
	| { kind: 'finished'; label: string; url: string }
	| { kind: 'continue'; label: string; url: string }
	| {
			kind: 'retry';
			/** Lessons linked from the questions missed, in question order, each once. */
			lessons: { title: string; url: string }[];
			/** When a new attempt may start (ISO, to the second); null: right away. */
			retryAt: string | null;
			/** null: unlimited. */
			attemptsLeft: number | null;
	  }
	| {
			kind: 'out-of-attempts';
			lessons: { title: string; url: string }[];
			label: string;
			url: string;
	  };

export interface ResultContext {
	courseId: string;
	progress: CourseProgress;
	/** The module whose quiz this is (its index in the course), or null for the final exam. */
	moduleIndex: number | null;
	/** Whether the quiz counts as passed now (by its grading rule, across attempts). */
	quizPassed: boolean;
	missedLessons: { title: string; url: string }[];
	refusal: { reason: 'no-attempts-left' } | { reason: 'wait'; until: Date } | null;
	attemptsLeft: number | null;
}

export function nextStep(c: ResultContext): NextStep {
	const { progress } = c;
	if (c.quizPassed) {
		if (progress.complete)
			return { kind: 'finished', label: 'You finished the course', url: completionUrl(c.courseId) };
		const following = c.moduleIndex === null ? undefined : progress.modules[c.moduleIndex + 1];
		if (following) {
			// The first thing not yet done in the next module, else its first lesson.
			const step =
				following.lessons.find((l) => !l.done)?.url ??
				(following.quiz && !following.quiz.passed ? following.quiz.url : undefined) ??
				following.lessons[0]?.url ??
				following.quiz?.url;
			if (step)
				return {
					kind: 'continue',
					label: `Continue to module ${c.moduleIndex! + 2}: ${following.title}`,
					url: step
				};
		}
		if (progress.finalExam?.open && !progress.finalExam.passed)
			return { kind: 'continue', label: 'Go to the final exam', url: progress.finalExam.url };
		if (progress.next)
			return {
				kind: 'continue',
				label: `Continue: ${progress.next.label}`,
				url: progress.next.url
			};
		return { kind: 'finished', label: 'You finished the course', url: completionUrl(c.courseId) };
	}
	const lessons = [...new Map(c.missedLessons.map((l) => [l.url, l])).values()];
	if (c.refusal?.reason === 'no-attempts-left') {
		return {
			kind: 'out-of-attempts',
			lessons,
			// The quiz itself is the first step not done, so the course page is the way on.
			label: 'Back to the course',
			url: courseUrl(c.courseId)
		};
	}
	return {
		kind: 'retry',
		lessons,
		retryAt: c.refusal?.reason === 'wait' ? c.refusal.until.toISOString() : null,
		attemptsLeft: c.attemptsLeft
	};
}
