// Habits worth a word to course authors that are not errors: `courses:check` prints them as
// hints and still passes.
import type { Course } from './types';
import type { Quiz } from '../../quiz/types';

export interface Hint {
	file: string;
	message: string;
}

/** Whether a choice question's correct options are exactly its first ones, in the file. */
function keyLeads(q: Quiz['questions'][number]): boolean | null {
	if (q.type !== 'single' && q.type !== 'multiple') return null;
	const correct = q.options.filter((o) => o.correct).length;
	return q.options.every((o, i) => o.correct === i < correct);
}

/**
 * A quiz whose choice questions all list the right option(s) first. Learners never see the
 * authored order or ids (options get per-attempt ids, and can be shuffled), but a habit like
 * this leaks the moment a setting or an export shows the file's order.
 */
export function keyAlwaysFirst(quiz: Quiz): string | null {
	const leads = quiz.questions.map(keyLeads).filter((x) => x !== null);
	if (leads.length < 2 || !leads.every(Boolean)) return null;
	return (
		`In all ${leads.length} choice questions of "${quiz.id}" the correct option comes first. ` +
		'Vary where the right answer sits in the file (learners cannot see it, but reviewers and ' +
		'exports can), or set shuffleOptions: true.'
	);
}

export function authoringHints(course: Course): Hint[] {
	const quizzes = [...course.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])), course.finalExam];
	return quizzes.flatMap((quiz) => {
		const message = quiz && keyAlwaysFirst(quiz);
		return message ? [{ file: quiz.file ?? course.dir, message }] : [];
	});
}
