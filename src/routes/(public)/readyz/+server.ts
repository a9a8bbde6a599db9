// Readiness for a load balancer: 503 until the database is open and migrated (openDatabase
// sets the connection only after the migrations ran) and whenever it stops answering.
import { json } from '@sveltejs/kit';
import { databaseIsUp } from '$lib/server/db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const ready = await databaseIsUp();
	return json(
		{ ready, database: ready ? 'ok' : 'unavailable' },
		{ status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } }
	);
};
