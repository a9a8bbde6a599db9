// Serves the images that sit beside lessons: images only, never the course's .md or .yaml files.
// Only for logged-in users, so browsers keep them privately for a while and then revalidate
// with the ETag (a 304 costs no body); hooks.server.ts leaves a private Cache-Control as is.
import { error } from '@sveltejs/kit';
import fs from 'node:fs/promises';
import path from 'node:path';
import { findCourse } from '$lib/server/content/catalog';
import { imageContentType } from '$lib/server/content/load';
import { fileResponse } from '$lib/server/http/file-response';
import { requireUser } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';

// Course files change only when the site is redeployed; an hour keeps a lesson's diagrams from
// being fetched again on every visit, and a changed file is seen within the hour.
const CACHE_CONTROL = 'private, max-age=3600';

export const GET: RequestHandler = async ({ params, request }) => {
	requireUser();
	const course = findCourse(params.course);
	const type = imageContentType(params.file);
	if (!course || !type) error(404, 'Not found');
	const file = path.resolve(course.dir, params.file);
	if (!file.startsWith(course.dir + path.sep)) error(404, 'Not found');
	const body = await fs.readFile(file).catch(() => null);
	if (!body) error(404, 'Not found');
	return fileResponse(request, body, type, CACHE_CONTROL);
};
