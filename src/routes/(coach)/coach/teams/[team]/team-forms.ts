// What the team page and the chosen-athletes page share: the coach check, the due-date field and
// the assign action (both pages post the same form; a big team's checkboxes live on their own page).
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireRole } from '$lib/server/http/guards';
import { assignCourse } from '$lib/server/teams/assignments';
import { teamForCoach } from '$lib/server/teams/teams';
import { endOfDay, isCalendarDate } from '$lib/progress/due';
import { zoneOrUtc } from '$lib/time';
import { teamSectionUrl } from '$lib/routes';

/** The coach's own team from the URL; anyone else's, or none, is a 404. */
export async function ownTeam(teamId: string) {
	const coach = requireRole('coach', 'admin');
	const team = await teamForCoach(coach, teamId);
	if (!team) error(404, 'Not found');
	return { coach, team };
}

export const dueField = z
	.string('Enter the due date as a date.')
	.regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Enter the due date as YYYY-MM-DD.')
	.refine((s) => !s || isCalendarDate(s), 'That date does not exist.')
	.optional();

const assignSchema = z.object({
	course: z.string('Choose a course.').min(1, 'Choose a course.').max(200, 'Choose a course.'),
	due: dueField,
	to: z.enum(['team', 'chosen'], 'Choose the whole team or chosen athletes.').default('team'),
	note: z
		.string('The note must be text.')
		.trim()
		.max(500, 'Keep the note under 500 characters.')
		.optional()
});

/** Assigns a course to the whole team, or (`to=chosen`) to the ticked athletes only. */
export async function assign({ request, params }: RequestEvent<{ team: string }>) {
	const { coach, team } = await ownTeam(params.team);
	const data = await formDataOf(request);
	const form = readForm(data, assignSchema);
	if (!form.ok) return formFailure(form.values, form.errors, 400, 'assign');
	const { course, due, note, to } = form.data;
	// Checkboxes send one "athlete" field per ticked athlete, which readForm refuses.
	const chosen = data.getAll('athlete').filter((v): v is string => typeof v === 'string');
	// The ticks are kept, so a refused form comes back as the coach left it.
	const values = { ...form.values, athletes: chosen.slice(0, 1000).join(' ') };
	if (to === 'chosen' && chosen.length === 0)
		return formFailure(values, { athlete: 'Tick at least one athlete.' }, 400, 'assign');
	if (chosen.length > 1000)
		return formFailure(values, { athlete: 'Too many athletes chosen.' }, 400, 'assign');
	const result = await assignCourse(coach, team.id, {
		courseId: course,
		dueAt: due ? endOfDay(due, zoneOrUtc(coach.timeZone)) : null,
		note,
		athleteIds: to === 'chosen' ? chosen : undefined
	});
	if (!result.ok && result.reason === 'unknown-course')
		return formFailure(values, { course: 'Choose a course from the list.' }, 400, 'assign');
	if (!result.ok && result.reason === 'unknown-athlete')
		return formFailure(values, { athlete: 'Choose athletes who are in this team.' }, 400, 'assign');
	if (!result.ok) error(404, 'Not found');
	redirect(303, teamSectionUrl(team.id, 'assignments', 'assigned'));
}
