// What a course card shows, from the catalogue: the same on the home page and the catalogue.
import { coverUrl } from '../../routes';
import type { Course } from './types';

export const courseCard = (c: Course) => ({
	id: c.id,
	title: c.title,
	summary: c.summary,
	coverUrl: c.cover ? coverUrl(c.id) : null,
	moduleCount: c.modules.length,
	lessonCount: c.lessons.length,
	estimatedMinutes: c.estimatedMinutes
});
