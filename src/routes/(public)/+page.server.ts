import { publishedCourses } from '$lib/server/content/catalog';
import { courseCard } from '$lib/server/content/course-card';
import type { PageServerLoad } from './$types';

export const load = (() => ({
	courses: publishedCourses().map(courseCard)
})) satisfies PageServerLoad;
