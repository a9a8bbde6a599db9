import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { publishedCourses } from '$lib/server/content/catalog';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireRole } from '$lib/server/http/guards';
import { assignCourse, assignmentsOfTeam, withdrawAssignment } from '$lib/server/teams/assignments';
import {
	createInvitation,
	invitationState,
	invitationsOf,
	revokeInvitation
} from '$lib/server/teams/invitations';
import { cellText, teamGrid } from '$lib/server/teams/grid';
import { rosterOf, teamForCoach } from '$lib/server/teams/teams';
import { endOfDay, isCalendarDate } from '$lib/progress/due';
import { joinUrl, teamUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

/** The coach's own team from the URL; anyone else's, or none, is a 404. */
async function ownTeam(teamId: string) {
	const coach = requireRole('coach', 'admin');
	const team = await teamForCoach(coach, teamId);
	if (!team) error(404, 'Not found');
	return { coach, team };
}

export const load = (async ({ params, url }) => {
	const { coach, team } = await ownTeam(params.team);
	const [roster, invitations, assignments, grid] = await Promise.all([
		rosterOf(team.id),
		invitationsOf(team.id),
		assignmentsOfTeam(team.id),
		teamGrid(coach, team.id)
	]);
	const courses = publishedCourses().map((c) => ({ id: c.id, title: c.title }));
	const titles = new Map(courses.map((c) => [c.id, c.title]));
	return {
		team: { id: team.id, name: team.name, season: team.season, description: team.description },
		roster,
		invitations: invitations.map((i) => ({
			id: i.id,
			link: new URL(joinUrl(i.code), url.origin).href,
			code: i.code,
			expiresAt: i.expiresAt,
			uses: i.uses,
			maxUses: i.maxUses,
			state: invitationState(i)
		})),
		assignments: assignments.map((a) => ({
			id: a.id,
			courseId: a.courseId,
			title: titles.get(a.courseId) ?? a.courseId,
			dueAt: a.dueAt,
			note: a.note
		})),
		courses,
		grid: grid && {
			columns: grid.assignments.map((a) => ({ id: a.id, title: a.title, due: a.due })),
			rows: grid.rows.map((r) => ({
				athlete: r.athlete,
				cells: r.cells.map((c) => ({
					state: c.state,
					overdue: 'overdue' in c && c.overdue,
					text: cellText(c)
				})),
				latestScore: r.latestScore ? `${Math.round(r.latestScore.percent)}%` : '—',
				lastActivity: r.lastActivity?.toISOString().slice(0, 10) ?? '—'
			}))
		}
	};
}) satisfies PageServerLoad;

const inviteSchema = z.object({
	days: z.coerce
		.number('Enter a number of days.')
		.int('Enter a whole number of days.')
		.min(1, 'An invitation lasts at least 1 day.')
		.max(90, 'An invitation lasts at most 90 days.'),
	maxUses: z.coerce
		.number('Enter how many athletes may use it.')
		.int('Enter a whole number.')
		.min(1, 'Allow at least 1 use.')
		.max(500, 'Allow at most 500 uses.')
});
const idSchema = z.object({ id: z.uuid('Unknown item.') });
const assignSchema = z.object({
	course: z.string('Choose a course.').min(1, 'Choose a course.').max(200, 'Choose a course.'),
	due: z
		.string('Enter the due date as a date.')
		.regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Enter the due date as YYYY-MM-DD.')
		.refine((s) => !s || isCalendarDate(s), 'That date does not exist.')
		.optional(),
	note: z
		.string('The note must be text.')
		.trim()
		.max(500, 'Keep the note under 500 characters.')
		.optional()
});

export const actions = {
	invite: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), inviteSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'invite');
		if (!(await createInvitation(coach, team.id, form.data))) error(404, 'Not found');
		redirect(303, teamUrl(team.id) + '?saved=invitation');
	},
	revoke: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), idSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'revoke');
		if (!(await revokeInvitation(coach, team.id, form.data.id))) error(404, 'Not found');
		redirect(303, teamUrl(team.id) + '?saved=revoked');
	},
	assign: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), assignSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'assign');
		const { course, due, note } = form.data;
		const result = await assignCourse(coach, team.id, {
			courseId: course,
			dueAt: due ? endOfDay(due) : null,
			note
		});
		if (!result.ok && result.reason === 'unknown-course')
			return formFailure(form.values, { course: 'Choose a course from the list.' }, 400, 'assign');
		if (!result.ok) error(404, 'Not found');
		redirect(303, teamUrl(team.id) + '?saved=assigned');
	},
	withdraw: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), idSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'withdraw');
		if (!(await withdrawAssignment(coach, team.id, form.data.id))) error(404, 'Not found');
		redirect(303, teamUrl(team.id) + '?saved=withdrawn');
	}
} satisfies Actions;
