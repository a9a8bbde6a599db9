import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/http/guards';
import { z } from 'zod';
import { findCourse, findQuiz, publishedCourses } from '$lib/server/content/catalog';
import { formDataOf, readForm } from '$lib/server/http/forms';
import { applyRegrade, previewRegrade } from '$lib/server/quiz/regrade';
import type { Actions, PageServerLoad } from './$types';

function target(courseId: string | null, quizId: string | null) {
	const course = courseId ? findCourse(courseId) : undefined;
	const quiz = course && quizId ? findQuiz(course, quizId)?.quiz : undefined;
	return course && quiz ? { course, quiz } : null;
}

export const load = (async ({ url }) => {
	requireRole('admin');
	const quizzes = publishedCourses().flatMap((c) =>
		[
			...c.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])),
			...(c.finalExam ? [c.finalExam] : [])
		].map((q) => ({ courseId: c.id, courseTitle: c.title, quizId: q.id, quizTitle: q.title }))
	);
	const selected = target(url.searchParams.get('course'), url.searchParams.get('quiz'));
	if ((url.searchParams.get('course') || url.searchParams.get('quiz')) && !selected)
		error(404, 'Quiz not found');
	const changes = selected ? await previewRegrade(selected.course, selected.quiz) : null;
	return {
		quizzes,
		selected: selected && {
			courseId: selected.course.id,
			quizId: selected.quiz.id,
			title: `${selected.course.title}: ${selected.quiz.title}`
		},
		changes: changes?.map(
			({ attemptId, learner, email, number, oldPercent, newPercent, oldPassed, newPassed }) => ({
				attemptId,
				learner,
				email,
				number,
				oldPercent,
				newPercent,
				oldPassed,
				newPassed
			})
		)
	};
}) satisfies PageServerLoad;

const schema = z.object({
	course: z.string().max(100),
	quiz: z.string().max(100),
	reason: z.string().trim().min(3, 'Say why the grades change (at least 3 characters).').max(500)
});

export const actions = {
	apply: async ({ request }) => {
		const admin = requireRole('admin');
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const selected = target(form.data.course, form.data.quiz);
		if (!selected) error(404, 'Quiz not found');
		const changed = await applyRegrade(selected.course, selected.quiz, admin.id, form.data.reason);
		redirect(
			303,
			`/admin/regrade?course=${selected.course.id}&quiz=${selected.quiz.id}&applied=${changed.length}`
		);
	}
} satisfies Actions;
