// Serves the images that sit beside lessons: images only, never the course's .md or .yaml files.
import { error } from '@sveltejs/kit';
import fs from 'node:fs/promises';
import path from 'node:path';
import { findCourse } from '$lib/server/content/catalog';
import { imageContentType } from '$lib/server/content/load';
import { requireUser } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	requireUser();
	const course = findCourse(params.course);
	const type = imageContentType(params.file);
	if (!course || !type) error(404, 'Not found');
	const file = path.resolve(course.dir, params.file);
	if (!file.startsWith(course.dir + path.sep)) error(404, 'Not found');
	const body = await fs.readFile(file).catch(() => null);
	if (!body) error(404, 'Not found');
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': type,
			'Cache-Control': 'public, max-age=3600',
			// An SVG opened directly must not run script.
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
};
