// The images of a previewed package version (not published yet, so not under /courses/…/media):
// images only, for admins, from that version's own folder.
import { error } from '@sveltejs/kit';
import fs from 'node:fs/promises';
import path from 'node:path';
import { packageCourse } from '$lib/server/authoring/packages';
import { imageContentType } from '$lib/server/content/load';
import { fileResponse } from '$lib/server/http/file-response';
import { requireRole } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, request }) => {
	requireRole('admin');
	const version = Number(params.version);
	const type = imageContentType(params.file);
	if (!Number.isInteger(version) || version < 1 || !type) error(404, 'Not found');
	const course = (await packageCourse(params.course, version))?.course;
	if (!course) error(404, 'Not found');
	const file = path.resolve(course.dir, params.file);
	if (!file.startsWith(course.dir + path.sep)) error(404, 'Not found');
	const body = await fs.readFile(file).catch(() => null);
	if (!body) error(404, 'Not found');
	return fileResponse(request, body, type, 'private, no-store');
};
