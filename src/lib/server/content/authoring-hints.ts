// Habits worth a word to course authors that are not errors: `courses:check` prints them as
// warnings (with file and line) and still passes. The item-writing checks live in
// item-checks.ts; this module feeds them a course's quizzes.
import path from 'node:path';
import type { Course } from './types';
import type { Quiz } from '../../quiz/types';
import type { ItemCheckId } from '../../content/schema';
import { checkItems, type CheckItem } from './item-checks';

export interface Hint {
	file: string;
	line?: number;
	/** The check that raised it, as named under a question's `allow:`. */
	check: ItemCheckId;
	message: string;
	/** The other item of a pair. */
	related?: { questionId: string; file: string; line?: number };
}

/** A course's quizzes, module quizzes first and the final exam last. */
export const courseQuizzes = (course: Course): Quiz[] => [
	...course.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])),
	...(course.finalExam ? [course.finalExam] : [])
];

/** The questions of quizzes as items to check, each with its file and line. */
export function quizItems(quizzes: readonly Quiz[], fallbackFile: string): CheckItem[] {
	return quizzes.flatMap((quiz) =>
		quiz.questions.map((question) => ({
			question,
			quiz: { id: quiz.id, shuffleOptions: quiz.settings.shuffleOptions },
			file: quiz.file ?? fallbackFile,
			line: quiz.lines?.[question.id],
			optionLines:
				question.type === 'single' || question.type === 'multiple'
					? Object.fromEntries(
							question.options.flatMap((o) => {
								const line = quiz.lines?.[`${question.id}.${o.id}`];
								return line === undefined ? [] : [[o.id, line]];
							})
						)
					: undefined
		}))
	);
}

/**
 * A course's inline checks as items, all in one set (their options are shown in file order): the
 * checks run over them together with the quizzes, so a check that copies a quiz item is caught.
 */
export function inlineCheckItems(course: Course): CheckItem[] {
	const root = path.dirname(course.dir);
	return course.lessons.flatMap((lesson) =>
		lesson.checks.map((question) => ({
			question,
			quiz: { id: `inline checks of ${course.id}`, shuffleOptions: false },
			file: path.join(root, lesson.file),
			line: lesson.checkLines[question.id]
		}))
	);
}

export function authoringHints(course: Course): Hint[] {
	const items = [...quizItems(courseQuizzes(course), course.dir), ...inlineCheckItems(course)];
	return checkItems(items).map((w) => ({
		file: w.file,
		line: w.line,
		check: w.check,
		message: `${w.questionId}: ${w.message}`,
		related: w.related
	}));
}

/** "file:line: [check] message", files relative to `from`. */
export function formatHint(hint: Hint, from = process.cwd()): string {
	const where = (file: string, line?: number) =>
		`${path.relative(from, file) || file}${line ? `:${line}` : ''}`;
	const other = hint.related ? ` (${where(hint.related.file, hint.related.line)})` : '';
	return `${where(hint.file, hint.line)}: [${hint.check}] ${hint.message}${other}`;
}

/**
 * Questions with no `lesson:` yet (imported from a question bank): accepted, but each is named
 * until an author links it to the lesson it reviews, so a learner who misses it is sent back
 * to something.
 */
export function questionsWithoutLesson(
	course: Course
): { file: string; line?: number; message: string }[] {
	return courseQuizzes(course).flatMap((quiz) =>
		quiz.questions
			.filter((q) => q.lesson === undefined)
			.map((q) => ({
				file: quiz.file ?? course.dir,
				line: quiz.lines?.[q.id],
				message: `${q.id}: no lesson yet; add "lesson: <lesson-id>" naming the lesson it reviews.`
			}))
	);
}

/** "file:line: message", the file relative to `from`. */
export function formatWarning(
	w: { file: string; line?: number; message: string },
	from = process.cwd()
) {
	return `${path.relative(from, w.file) || w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`;
}
