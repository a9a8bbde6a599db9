import { publishedCourses } from '$lib/server/content/catalog';
import { courseCard } from '$lib/server/content/course-card';
import { progressOfEnrolled } from '$lib/server/learning/progress';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const enrolled = new Map(
		(locals.user ? await progressOfEnrolled(locals.user.id) : []).map((e) => [e.course.id, e.progress])
	);
	return {
		courses: publishedCourses().map((c) => {
			const progress = enrolled.get(c.id);
			return {
				...courseCard(c),
				modules: c.modules.map((m) => m.title),
				status: progress
					? { percent: progress.percent, complete: progress.complete, next: progress.next?.url ?? null }
					: null
			};
		})
	};
}) satisfies PageServerLoad;
