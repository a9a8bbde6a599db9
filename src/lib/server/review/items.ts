// What a review card stands for: a quiz question or an inline check, named by a key that stays
// the same across content versions while the question keeps its id in the course.
import { createHmac, randomBytes } from 'node:crypto';
import type { Course } from '../content/types';
import type { Question } from '../../quiz/types';
import { serverSecret } from '../auth/server-secret';
import { lessonUrl } from '../../routes';

export const quizItemKey = (quizId: string, questionId: string) => `quiz:${quizId}:${questionId}`;
export const checkItemKey = (lessonId: string, checkId: string) => `check:${lessonId}:${checkId}`;

const questionsByKey = new WeakMap<Course, Map<string, Question>>();

/** Every question of the course by item key, worked out once per loaded course. */
function itemsOf(course: Course): Map<string, Question> {
	let items = questionsByKey.get(course);
	if (!items) {
		items = new Map();
		const quizzes = [
			...course.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])),
			...(course.finalExam ? [course.finalExam] : [])
		];
		for (const quiz of quizzes)
			for (const q of quiz.questions) items.set(quizItemKey(quiz.id, q.id), q);
		for (const lesson of course.lessons)
			for (const q of lesson.checks) items.set(checkItemKey(lesson.id, q.id), q);
		questionsByKey.set(course, items);
	}
	return items;
}

/** The question as the course has it now; undefined once it left the course. */
export const currentQuestion = (course: Course | undefined, itemKey: string) =>
	course ? itemsOf(course).get(itemKey) : undefined;

/** The lesson a question points back to, as a link. */
export function lessonLink(course: Course | undefined, lessonId: string | null) {
	const lesson = lessonId ? course?.lessons.find((l) => l.id === lessonId) : undefined;
	return lesson
		? { title: lesson.title, url: lessonUrl(course!.id, lesson.moduleId, lesson.id) }
		: null;
}

/** A fresh secret for the page ids of one showing of a review card. */
export const newSeed = () => randomBytes(16).toString('hex');

/**
 * The secret behind a learner's page ids for one inline check: the same for them on every visit
 * (the lesson page needs no write to show a check), different for every learner and unguessable.
 */
export async function checkSeed(userId: string, courseId: string, itemKey: string) {
	const key = await serverSecret('inline-check-ids');
	return createHmac('sha256', key).update(`${userId}\0${courseId}\0${itemKey}`).digest('hex');
}
