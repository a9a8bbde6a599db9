import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/http/guards';
import { questionStats } from '$lib/server/teams/questions';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const coach = requireRole('coach', 'admin');
	const stats = await questionStats(coach, params.team);
	if (!stats) error(404, 'Not found');
	return stats;
}) satisfies PageServerLoad;
