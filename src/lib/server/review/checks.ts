// Inline knowledge checks in lessons: shown without their keys, answered one at a time, never
// graded toward anything. The first answer to a check makes its review card.
import { db } from '../db';
import { now } from '../clock';
import type { Course, Lesson } from '../content/types';
import type { QuestionView, ReviewItem } from '../../quiz/views';
import { scoreQuestion } from '../../quiz/scoring';
import { questionView } from '../quiz/views';
import { cardFromCheck } from './cards';
import { feedbackItem, gradeFormAnswer } from './feedback';
import { checkItemKey, checkSeed } from './items';

/** The lesson's checks as the learner's page shows them: no key, page ids of their own. */
export async function checkViews(
	userId: string,
	course: Course,
	lesson: Lesson
): Promise<QuestionView[]> {
	return Promise.all(
		lesson.checks.map(async (q) =>
			questionView(q, await checkSeed(userId, course.id, checkItemKey(lesson.id, q.id)))
		)
	);
}

export type CheckAnswer =
	{ ok: true; id: string; item: ReviewItem } | { ok: false; id: string | null; message: string };

/** Grades a posted check: feedback at once, and the review card on a first answer. */
export async function answerCheck(
	userId: string,
	course: Course,
	lesson: Lesson,
	form: FormData
): Promise<CheckAnswer> {
	const id = form.get('check');
	const q = typeof id === 'string' ? lesson.checks.find((c) => c.id === id) : undefined;
	if (!q) return { ok: false, id: null, message: 'This check is not part of the lesson.' };
	const itemKey = checkItemKey(lesson.id, q.id);
	const seed = await checkSeed(userId, course.id, itemKey);
	const graded = gradeFormAnswer(q, seed, form);
	if (!graded.ok) return { ok: false, id: q.id, message: graded.message };
	await cardFromCheck(db(), {
		userId,
		courseId: course.id,
		itemKey,
		question: q,
		contentVersion: lesson.version,
		correct: scoreQuestion(q, graded.answer),
		at: now()
	});
	const item = feedbackItem(q, seed, graded.answer, questionView(q, seed), null);
	return { ok: true, id: q.id, item };
}
