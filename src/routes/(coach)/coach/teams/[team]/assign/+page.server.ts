import { publishedCourses } from '$lib/server/content/catalog';
import { rosterOf } from '$lib/server/teams/teams';
import { assign, ownTeam } from '../team-forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const { team } = await ownTeam(params.team);
	const roster = await rosterOf(team.id);
	return {
		team: { id: team.id, name: team.name },
		roster: roster.map((r) => ({ id: r.id, name: r.name })),
		courses: publishedCourses().map((c) => ({ id: c.id, title: c.title }))
	};
}) satisfies PageServerLoad;

export const actions = { default: assign } satisfies Actions;
