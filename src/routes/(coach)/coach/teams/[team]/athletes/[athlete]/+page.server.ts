import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/http/guards';
import { athleteForCoach } from '$lib/server/teams/athlete';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const coach = requireRole('coach', 'admin');
	// Another coach's team, an athlete who left or was never in it: all the same 404.
	const view = await athleteForCoach(coach, params.team, params.athlete);
	if (!view) error(404, 'Not found');
	return view;
}) satisfies PageServerLoad;
