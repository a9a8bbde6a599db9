// Resolves a course from the URL for a signed-in, enrolled learner (404 for unknown ids).
import { error, redirect } from '@sveltejs/kit';
import { findCourse } from './catalog';
import { enrolment } from '../learning/progress';
import type { SessionUser } from '../auth/session';
import type { Course } from './types';

export async function enrolledCourse(courseId: string, user: SessionUser | null): Promise<Course> {
	const course = findCourse(courseId);
	if (!course) error(404, 'Course not found');
	if (!user) redirect(303, `/login?redirectTo=/courses/${course.id}`);
	// Not enrolled yet: the overview explains the course and offers enrolment.
	if (!(await enrolment(user.id, course.id))) redirect(303, `/courses/${course.id}`);
	return course;
}
