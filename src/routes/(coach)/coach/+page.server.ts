import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireRole } from '$lib/server/http/guards';
import { createTeam, teamsOfCoach } from '$lib/server/teams/teams';
import { teamUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const coach = requireRole('coach', 'admin');
	return { teams: await teamsOfCoach(coach) };
}) satisfies PageServerLoad;

const optional = (label: string, max: number) =>
	z
		.string(`${label} must be text.`)
		.trim()
		.max(max, `Use at most ${max} characters for the ${label.toLowerCase()}.`)
		.optional();

const teamSchema = z.object({
	name: z
		.string('Name the team.')
		.trim()
		.min(1, 'Name the team.')
		.max(80, 'Use at most 80 characters for the name.'),
	season: optional('Season', 40),
	description: optional('Description', 500)
});

export const actions = {
	create: async ({ request }) => {
		const coach = requireRole('coach', 'admin');
		const form = readForm(await formDataOf(request), teamSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'create');
		const team = await createTeam(coach, form.data);
		if (!team) return formFailure(form.values, { name: 'Only coaches can create teams.' }, 403);
		redirect(303, teamUrl(team.id));
	}
} satisfies Actions;
