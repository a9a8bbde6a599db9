import { findCourse } from '$lib/server/content/catalog';
import { enrolmentsOf, progressOf } from '$lib/server/learning/progress';
import { requireUser } from '$lib/server/http/guards';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	const enrolments = await enrolmentsOf(user.id);
	const courses = await Promise.all(
		enrolments.flatMap((e) => {
			const course = findCourse(e.courseId);
			if (!course) return [];
			return [
				progressOf(user.id, course).then((p) => ({
					id: course.id,
					title: course.title,
					percent: p.percent,
					complete: p.complete,
					certificate: course.certificate,
					next: p.next
				}))
			];
		})
	);
	return { name: user.name, courses };
}) satisfies PageServerLoad;
