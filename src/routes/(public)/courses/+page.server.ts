import { publishedCourses } from '$lib/server/content/catalog';
import { courseCard } from '$lib/server/content/course-card';
import { enrolmentsOf, progressOf } from '$lib/server/learning/progress';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const courses = publishedCourses();
	const enrolled = locals.user ? await enrolmentsOf(locals.user.id) : [];
	return {
		courses: await Promise.all(
			courses.map(async (c) => {
				const isEnrolled = enrolled.some((e) => e.courseId === c.id);
				const progress = isEnrolled && locals.user ? await progressOf(locals.user.id, c) : null;
				return {
					...courseCard(c),
					modules: c.modules.map((m) => m.title),
					status: progress
						? { percent: progress.percent, complete: progress.complete, next: progress.next?.url ?? null }
						: null
				};
			})
		)
	};
}) satisfies PageServerLoad;
