// The checks every load and action makes for the object it touches, as a second line behind the
// hook's route policy (a layout load is not enough: it does not re-run on client navigation).
// They read the current request through getRequestEvent, so callers need not pass it along.
import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import type { Role } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { findCourse } from '../content/catalog';
import type { Course } from '../content/types';
import { enrolledProgress } from '../learning/progress';
import type { CourseProgress } from '../../progress/rules';
import { courseUrl, loginUrl } from '../../routes';

/** The signed-in user; anyone else is sent to log in and brought back here afterwards. */
export function requireUser(): SessionUser {
	const { locals, url } = getRequestEvent();
	if (!locals.user) redirect(303, loginUrl(url.pathname + url.search));
	return locals.user;
}

/** The signed-in user if their role is one of `roles`; 404 otherwise, so nothing is revealed. */
export function requireRole(...roles: Role[]): SessionUser {
	const { user } = getRequestEvent().locals;
	if (!user || !roles.includes(user.role)) error(404, 'Not found');
	return user;
}

/**
 * The course from the URL for a signed-in, enrolled learner: 404 for unknown ids, log-in for
 * visitors, and the overview (which explains the course and offers enrolment) for the rest.
 */
export async function requireEnrolment(
	courseId: string
): Promise<{ user: SessionUser; course: Course; progress: CourseProgress }> {
	const course = findCourse(courseId);
	if (!course) error(404, 'Course not found');
	const { locals } = getRequestEvent();
	if (!locals.user) redirect(303, loginUrl(courseUrl(course.id)));
	// Enrolment and progress come in one query: every page behind this check shows progress.
	const progress = await enrolledProgress(locals.user.id, course);
	if (!progress) redirect(303, courseUrl(course.id));
	return { user: locals.user, course, progress };
}
