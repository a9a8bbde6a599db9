// The team grid as CSV: the same rows as the page, for spreadsheets. Same access rule (404).
import { error } from '@sveltejs/kit';
import { toCsv } from '$lib/csv';
import { requireRole } from '$lib/server/http/guards';
import { gridTable, teamGrid } from '$lib/server/teams/grid';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const coach = requireRole('coach', 'admin');
	const grid = await teamGrid(coach, params.team);
	if (!grid) error(404, 'Not found');
	const file = `team-${grid.team.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'grid'}.csv`;
	return new Response(toCsv(gridTable(grid)), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${file}"`,
			'cache-control': 'private, no-store'
		}
	});
};
