import { formDataOf } from '$lib/server/http/forms';
import { fail, redirect } from '@sveltejs/kit';
import { now } from '$lib/server/clock';
import { requireUser } from '$lib/server/http/guards';
import { resetCourseReview, reviewSettingsOf, setCourseReview } from '$lib/server/review/queue';
import { reviewSettingsUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	return { courses: await reviewSettingsOf(user.id) };
}) satisfies PageServerLoad;

/** The course named by the form, if the learner has review cards in it. */
async function courseOf(userId: string, form: FormData) {
	const id = form.get('course');
	const courses = await reviewSettingsOf(userId);
	return typeof id === 'string' ? courses.find((c) => c.courseId === id) : undefined;
}

export const actions = {
	save: async ({ request }) => {
		const user = requireUser();
		const form = await formDataOf(request);
		const course = await courseOf(user.id, form);
		if (!course) return fail(400, { message: 'You have no review in that course.' });
		await setCourseReview(user.id, course.courseId, {
			enabled: form.get('enabled') === 'on',
			dailyReminder: form.get('dailyReminder') === 'on'
		});
		redirect(303, `${reviewSettingsUrl}?saved=${encodeURIComponent(course.courseId)}`);
	},
	reset: async ({ request }) => {
		const user = requireUser();
		const form = await formDataOf(request);
		const course = await courseOf(user.id, form);
		if (!course) return fail(400, { message: 'You have no review in that course.' });
		await resetCourseReview(user.id, course.courseId, now());
		redirect(303, `${reviewSettingsUrl}?reset=${encodeURIComponent(course.courseId)}`);
	}
} satisfies Actions;
