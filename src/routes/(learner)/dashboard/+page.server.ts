import { now } from '$lib/server/clock';
import { publishedCourses } from '$lib/server/content/catalog';
import { progressOfEnrolled } from '$lib/server/learning/progress';
import { requireUser } from '$lib/server/http/guards';
import { siteAddress } from '$lib/server/site/address';
import { assignmentsForAthlete } from '$lib/server/teams/assignments';
import { invitationsForUser } from '$lib/server/teams/invitations';
import { dueStatus, dueText } from '$lib/progress/due';
import { reviewSummary } from '$lib/server/review/queue';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	const [enrolled, assigned, invitations, address, review] = await Promise.all([
		progressOfEnrolled(user.id),
		assignmentsForAthlete(user.id),
		invitationsForUser(user),
		user.role === 'admin' ? siteAddress() : null,
		reviewSummary(user.id, user.timeZone, now())
	]);
	const courses = enrolled.map(({ course, progress: p }) => ({
		id: course.id,
		title: course.title,
		percent: p.percent,
		complete: p.complete,
		certificate: course.certificate,
		next: p.next
	}));
	const byId = new Map(courses.map((c) => [c.id, c]));
	const at = now();
	// Assignments come first; a course assigned by two coaches shows under each of them.
	const assignments = assigned.flatMap((a) => {
		const course = byId.get(a.courseId);
		if (!course) return [];
		const due = dueStatus(a.dueAt, at);
		return [
			{
				id: a.id,
				course,
				coachName: a.coachName,
				teamName: a.teamName,
				note: a.note,
				// The moment it is due (the end of the coach's chosen day in the coach's zone), shown in the
				// learner's own zone by the page.
				dueAt: a.dueAt?.toISOString() ?? null,
				dueText: course.complete ? null : dueText(due),
				overdue: !course.complete && due.kind === 'overdue'
			}
		];
	});
	const assignedIds = new Set(assignments.map((a) => a.course.id));
	const enrolledIds = new Set(courses.map((c) => c.id));
	const available = publishedCourses()
		.filter((c) => !enrolledIds.has(c.id))
		.map((c) => ({
			id: c.id,
			title: c.title,
			summary: c.summary,
			modules: c.modules.length,
			lessons: c.lessons.length,
			minutes: c.estimatedMinutes
		}));
	return {
		name: user.name,
		// The first admin's setup step, where they land after logging in.
		confirmAddress: address?.source === 'unconfirmed',
		invitations,
		review,
		assignments,
		courses: courses.filter((c) => !assignedIds.has(c.id)),
		available
	};
}) satisfies PageServerLoad;
