import { error, redirect } from '@sveltejs/kit';
import { findCourse } from '$lib/server/content/catalog';
import { courseProgress } from '$lib/progress/rules';
import { enrol, enrolledProgress } from '$lib/server/learning/progress';
import { courseUrl, coverUrl, loginUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params, locals }) => {
	const course = findCourse(params.course);
	if (!course) error(404, 'Course not found');
	const mine = locals.user ? await enrolledProgress(locals.user.id, course) : null;
	const enrolled = mine !== null;
	const progress =
		mine ?? courseProgress(course, { lessonsDone: new Map(), quizzesPassed: new Set() });
	return {
		course: {
			id: course.id,
			title: course.title,
			summary: course.summary,
			audience: course.audience,
			estimatedMinutes: course.estimatedMinutes,
			certificate: course.certificate,
			coverUrl: course.cover ? coverUrl(course.id) : null
		},
		enrolled,
		loggedIn: Boolean(locals.user),
		progress
	};
}) satisfies PageServerLoad;

export const actions = {
	enrol: async ({ params, locals }) => {
		const course = findCourse(params.course);
		if (!course) error(404, 'Course not found');
		if (!locals.user) redirect(303, loginUrl(courseUrl(course.id)));
		await enrol(locals.user.id, course);
		redirect(303, course.lessons[0]?.url ?? courseUrl(course.id));
	}
} satisfies Actions;
