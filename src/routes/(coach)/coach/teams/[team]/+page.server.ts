import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formatWait } from '$lib/format';
import { publishedCourses } from '$lib/server/content/catalog';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import {
	assignmentsOfTeam,
	changeDueDate,
	withdrawAssignment
} from '$lib/server/teams/assignments';
import {
	createInvitation,
	invitationState,
	invitationsOf,
	inviteByEmail,
	InvitationMailLimit,
	revokeInvitation
} from '$lib/server/teams/invitations';
import { cellText, gridOf, gridView, type GridFilter } from '$lib/server/teams/grid';
import {
	coachesOf,
	deleteTeam,
	leaveAsAssistant,
	removeAssistant,
	rosterOf
} from '$lib/server/teams/teams';
import { endOfDay } from '$lib/progress/due';
import { zoneOrUtc } from '$lib/time';
import { coachUrl, joinUrl, teamSectionUrl } from '$lib/routes';
import { publicAddress } from '$lib/server/site/address';
import { sectionOf } from './sections';
import { assign, dueField, ownTeam } from './team-forms';
import type { Actions, PageServerLoad } from './$types';

/** Athletes named in "Needs attention" before it points to the grid's filter. */
const ATTENTION_SHOWN = 20;
/** Athletes named under a chosen-athletes assignment before "and N more". */
const NAMES_SHOWN = 10;

export const load = (async ({ params, url }) => {
	const { team } = await ownTeam(params.team);
	const section = sectionOf(url);
	// The roster gives every section its count; the rest is read for the section shown only.
	const roster = await rosterOf(team.id);
	const [invitations, assignments, coaches, site] = await Promise.all([
		section === 'invitations' ? invitationsOf(team.id) : [],
		section === 'progress' || section === 'assignments' ? assignmentsOfTeam(team.id) : [],
		section === 'coaches' ? coachesOf(team.id) : [],
		// Invitation links are passed on to athletes: the site's address, never the request's.
		section === 'invitations' ? publicAddress() : ''
	]);
	const names = new Map(roster.map((r) => [r.id, r.name]));
	const namesOf = (ids: string[]) => {
		const known = ids.flatMap((id) => names.get(id) ?? []);
		return { shown: known.slice(0, NAMES_SHOWN), more: Math.max(0, known.length - NAMES_SHOWN) };
	};
	const courses = publishedCourses().map((c) => ({ id: c.id, title: c.title }));
	const titles = new Map(courses.map((c) => [c.id, c.title]));
	return {
		section,
		team: {
			id: team.id,
			name: team.name,
			season: team.season,
			description: team.description,
			isOwner: team.isOwner
		},
		coaches: coaches.map((c) => ({ id: c.id, name: c.name, owner: c.owner })),
		athleteCount: roster.length,
		progress: section === 'progress' ? await progressOf(team, roster, assignments, url) : null,
		invitations: invitations.map((i) => ({
			role: i.role,
			email: i.email,
			id: i.id,
			link: new URL(joinUrl(i.code), site).href,
			code: i.code,
			expiresAt: i.expiresAt,
			uses: i.uses,
			maxUses: i.maxUses,
			state: invitationState(i)
		})),
		assignments:
			section === 'assignments'
				? assignments.map((a) => ({
						id: a.id,
						courseId: a.courseId,
						title: titles.get(a.courseId) ?? a.courseId,
						dueAt: a.dueAt,
						note: a.note,
						// Whom a chosen-athlete assignment reaches, by name (only current members).
						athletes: a.athleteIds && namesOf(a.athleteIds)
					}))
				: [],
		courses: section === 'assignments' ? courses : []
	};
}) satisfies PageServerLoad;

type Team = Awaited<ReturnType<typeof ownTeam>>['team'];
type Roster = Awaited<ReturnType<typeof rosterOf>>;
type Assignments = Awaited<ReturnType<typeof assignmentsOfTeam>>;

/** The Progress section: who needs attention, and the grid as sorted, filtered and paged. */
async function progressOf(team: Team, roster: Roster, assignments: Assignments, url: URL) {
	const grid = await gridOf(team, roster, assignments);
	const sortBy = url.searchParams.get('sort') ?? 'name';
	const dir = url.searchParams.get('dir') === 'desc' ? 'desc' : 'asc';
	const show = url.searchParams.get('show');
	const filter: GridFilter = show === 'overdue' || show === 'not-started' ? show : 'all';
	const { arranged, shown } = await gridView(
		grid,
		{ by: sortBy, dir },
		filter,
		url.searchParams.get('page')
	);
	const attention = grid.rows.filter((r) => r.attention.length);
	return {
		// Listed on their own only while there is no grid to list them (a big team's page stays small).
		roster: grid.assignments.length
			? []
			: roster.map((r) => ({ id: r.id, name: r.name, joinedAt: r.joinedAt })),
		view: { sort: sortBy, dir, filter },
		// The first few; the grid's Overdue filter (and its sorting) finds the rest.
		attention: attention
			.slice(0, ATTENTION_SHOWN)
			.map((r) => ({ athlete: r.athlete, reasons: r.attention })),
		attentionMore: Math.max(0, attention.length - ATTENTION_SHOWN),
		grid: {
			columns: grid.assignments.map((a) => ({ id: a.id, title: a.title, due: a.due })),
			total: grid.rows.length,
			matching: arranged.length,
			page: shown.page,
			pages: shown.pages,
			from: shown.from,
			rows: shown.rows.map((r) => ({
				athlete: r.athlete,
				cells: r.cells.map((c) => ({
					state: c.state,
					overdue: 'overdue' in c && c.overdue,
					// A completed cell is written on the page as a day in the coach's zone (TeamGrid).
					completedAt: c.state === 'completed' ? c.at.toISOString() : null,
					text: cellText(c)
				})),
				latestScore: r.latestScore ? `${Math.round(r.latestScore.percent)}%` : '—',
				lastActivity: r.lastActivity ?? null
			}))
		}
	};
}

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
const dueSchema = z.object({ id: z.uuid('Unknown assignment.'), due: dueField });
const emailSchema = z.object({
	email: z
		.string('Enter an email address.')
		.trim()
		.min(1, 'Enter an email address.')
		.max(254, 'That email address is too long.')
		.pipe(z.email('Enter an email address such as name@example.com.')),
	role: z.enum(['athlete', 'assistant'], 'Choose athlete or assistant coach.').default('athlete')
});
const roleSchema = z.object({
	role: z.enum(['athlete', 'assistant'], 'Choose athlete or assistant coach.').default('athlete')
});
const deleteSchema = z.object({
	confirm: z.string('Type the team name to confirm.').trim()
});
export const actions = {
	invite: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const data = await formDataOf(request);
		const form = readForm(data, inviteSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'invite');
		const role = readForm(data, roleSchema);
		if (!role.ok) return formFailure(form.values, role.errors, 400, 'invite');
		if (!(await createInvitation(coach, team.id, { ...form.data, role: role.data.role })))
			error(404, 'Not found');
		redirect(303, teamSectionUrl(team.id, 'invitations', 'invitation'));
	},
	inviteEmail: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), emailSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'inviteEmail');
		try {
			if (!(await inviteByEmail(coach, team.id, form.data))) error(404, 'Not found');
		} catch (e) {
			if (!(e instanceof InvitationMailLimit)) throw e;
			return formFailure(
				form.values,
				{
					email: `You have sent as many invitation emails as one coach may in an hour. Try again in ${formatWait(e.retryAfter)}, or make an invitation link (below) and share it yourself.`
				},
				429,
				'inviteEmail'
			);
		}
		redirect(303, teamSectionUrl(team.id, 'invitations', 'emailed'));
	},
	changeDue: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), dueSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'changeDue');
		const dueAt = form.data.due ? endOfDay(form.data.due, zoneOrUtc(coach.timeZone)) : null;
		if (!(await changeDueDate(coach, team.id, form.data.id, dueAt))) error(404, 'Not found');
		redirect(303, teamSectionUrl(team.id, 'assignments', 'due'));
	},
	removeAssistant: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), idSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'removeAssistant');
		if (!(await removeAssistant(coach, team.id, form.data.id))) error(404, 'Not found');
		redirect(303, teamSectionUrl(team.id, 'coaches', 'assistant-removed'));
	},
	leaveAssisting: async ({ params }) => {
		const { coach, team } = await ownTeam(params.team);
		if (!(await leaveAsAssistant(coach.id, team.id))) error(404, 'Not found');
		redirect(303, coachUrl);
	},
	delete: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), deleteSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'delete');
		if (!team.isOwner) error(404, 'Not found');
		if (form.data.confirm !== team.name)
			return formFailure(
				form.values,
				{ confirm: 'Type the team name exactly as shown to delete it.' },
				400,
				'delete'
			);
		if (!(await deleteTeam(coach, team.id))) error(404, 'Not found');
		redirect(303, coachUrl + '?deleted=1');
	},
	revoke: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), idSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'revoke');
		if (!(await revokeInvitation(coach, team.id, form.data.id))) error(404, 'Not found');
		redirect(303, teamSectionUrl(team.id, 'invitations', 'revoked'));
	},
	assign,
	withdraw: async ({ request, params }) => {
		const { coach, team } = await ownTeam(params.team);
		const form = readForm(await formDataOf(request), idSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'withdraw');
		if (!(await withdrawAssignment(coach, team.id, form.data.id))) error(404, 'Not found');
		redirect(303, teamSectionUrl(team.id, 'assignments', 'withdrawn'));
	}
} satisfies Actions;
