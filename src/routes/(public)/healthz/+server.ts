import { json } from '@sveltejs/kit';
import { databaseIsUp } from '$lib/server/db';
import { appVersion } from '$lib/server/http/app-version';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const up = await databaseIsUp();
	return json(
		{ status: up ? 'ok' : 'error', database: up ? 'ok' : 'unavailable', version: appVersion },
		{ status: up ? 200 : 503, headers: { 'Cache-Control': 'no-store' } }
	);
};
