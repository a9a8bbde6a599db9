// A course's cover art (the `cover` image named in course.yaml), public like the catalogue that
// shows it; every other course file stays behind the learners' media route.
import { error } from '@sveltejs/kit';
import fs from 'node:fs/promises';
import path from 'node:path';
import { findCourse } from '$lib/server/content/catalog';
import { imageContentType } from '$lib/server/content/load';
import { fileResponse } from '$lib/server/http/file-response';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, request }) => {
	const course = findCourse(params.course);
	const type = course?.cover && imageContentType(course.cover);
	if (!course?.cover || !type) error(404, 'Not found');
	const body = await fs.readFile(path.join(course.dir, course.cover)).catch(() => null);
	if (!body) error(404, 'Not found');
	return fileResponse(request, body, type, 'public, max-age=3600');
};
