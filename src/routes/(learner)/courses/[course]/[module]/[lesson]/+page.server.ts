import { formDataOf } from '$lib/server/http/forms';
import { error, fail, redirect } from '@sveltejs/kit';
import { answerCheck, checkViews } from '$lib/server/review/checks';
import { findLesson } from '$lib/server/content/catalog';
import { requireEnrolment } from '$lib/server/http/guards';
import { markLessonDone } from '$lib/server/learning/lessons';
import { courseUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const { user, course, progress } = await requireEnrolment(params.course);
	const found = findLesson(course, params.module, params.lesson);
	if (!found) error(404, 'Lesson not found');
	const { module, lesson, index } = found;
	const moduleStatus = progress.modules.find((m) => m.id === module.id)!;
	const status = moduleStatus.lessons.find((l) => l.id === lesson.id)!;
	const prev = course.lessons[index - 1];
	const nextLesson = course.lessons[index + 1];
	const lastInModule = module.lessons.at(-1)?.id === lesson.id;
	// After the last lesson of a module comes its quiz, then the next module.
	const next =
		lastInModule && moduleStatus.quiz
			? { url: moduleStatus.quiz.url, title: moduleStatus.quiz.title }
			: nextLesson
				? { url: nextLesson.url, title: nextLesson.title }
				: progress.finalExam
					? { url: progress.finalExam.url, title: progress.finalExam.title }
					: null;
	return {
		course: { id: course.id, title: course.title },
		module: { id: module.id, title: module.title, position: course.modules.indexOf(module) + 1 },
		lesson: {
			title: lesson.title,
			minutes: lesson.minutes,
			objectives: lesson.objectives,
			sections: lesson.sections,
			checks: await checkViews(user.id, course, lesson),
			position: module.lessons.indexOf(lesson) + 1,
			count: module.lessons.length
		},
		done: status.done,
		updatedSinceDone: status.updatedSinceDone,
		percent: progress.percent,
		prev: prev ? { url: prev.url, title: prev.title } : null,
		next
	};
}) satisfies PageServerLoad;

export const actions = {
	done: async ({ params }) => {
		const { user, course } = await requireEnrolment(params.course);
		const found = findLesson(course, params.module, params.lesson);
		if (!found) error(404, 'Lesson not found');
		const marked = await markLessonDone(user.id, course, found.lesson);
		const next = marked.ok ? marked.progress.next : null;
		redirect(303, next?.url ?? courseUrl(course.id));
	},
	// An inline check: feedback comes back with the page (no redirect, so it can be shown at
	// the check); nothing about progress changes.
	check: async ({ params, request }) => {
		const { user, course } = await requireEnrolment(params.course);
		const found = findLesson(course, params.module, params.lesson);
		if (!found) error(404, 'Lesson not found');
		const answered = await answerCheck(user.id, course, found.lesson, await formDataOf(request));
		if (!answered.ok) return fail(400, { check: { id: answered.id, error: answered.message } });
		return { check: { id: answered.id, result: answered.item } };
	}
} satisfies Actions;
