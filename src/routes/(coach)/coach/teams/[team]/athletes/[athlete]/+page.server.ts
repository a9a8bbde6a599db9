import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireRole } from '$lib/server/http/guards';
import { athleteForCoach } from '$lib/server/teams/athlete';
import {
	MAX_EXTRA_PERCENT,
	setAccommodation,
	teamAccommodationOf
} from '$lib/server/teams/accommodation';
import { askAdminsForResetLink } from '$lib/server/teams/password-help';
import { athleteUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const coach = requireRole('coach', 'admin');
	// Another coach's team, an athlete who left or was never in it: all the same 404.
	const view = await athleteForCoach(coach, params.team, params.athlete);
	if (!view) error(404, 'Not found');
	// This team's extra time only: an admin's site-wide accommodation is not the coach's to see.
	return { ...view, extraPercent: await teamAccommodationOf(params.team, params.athlete) };
}) satisfies PageServerLoad;

const accommodationSchema = z.object({
	extraPercent: z.coerce
		.number('Enter a whole number of percent, such as 25.')
		.int('Enter a whole number of percent, such as 25.')
		.min(0, 'Extra time cannot be negative; 0 means none.')
		.max(MAX_EXTRA_PERCENT, `Use at most ${MAX_EXTRA_PERCENT}% extra time.`)
});

export const actions = {
	accommodation: async ({ request, params }) => {
		const coach = requireRole('coach', 'admin');
		const form = readForm(await formDataOf(request), accommodationSchema);
		if (!(await athleteForCoach(coach, params.team, params.athlete))) error(404, 'Not found');
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'accommodation');
		if (!(await setAccommodation(coach, params.team, params.athlete, form.data.extraPercent)))
			error(404, 'Not found');
		redirect(303, athleteUrl(params.team, params.athlete) + '?saved=accommodation');
	},
	askPasswordReset: async ({ params }) => {
		const coach = requireRole('coach', 'admin');
		const asked = await askAdminsForResetLink(coach, params.team, params.athlete);
		if (asked === 'not-found') error(404, 'Not found');
		redirect(303, athleteUrl(params.team, params.athlete) + `?saved=${asked}`);
	}
} satisfies Actions;
