import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/http/guards';
import { formDataOf, readForm } from '$lib/server/http/forms';
import {
	packageVersions,
	PackageRefused,
	publishPackage,
	uploadedCourseVersions
} from '$lib/server/authoring/packages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	requireRole('admin');
	const versions = await packageVersions(params.course);
	if (!versions.length) error(404, 'No uploaded course with this id');
	const published = (await uploadedCourseVersions()).get(params.course)?.published ?? null;
	return {
		courseId: params.course,
		published,
		versions: versions.map((v) => ({
			version: v.version,
			fileName: v.fileName,
			uploadedAt: v.uploadedAt.toISOString(),
			problems: v.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`),
			warnings: v.warnings
		}))
	};
}) satisfies PageServerLoad;

const schema = z.object({ version: z.coerce.number().int().positive().max(1_000_000) });

export const actions = {
	publish: async ({ request, params }) => {
		const admin = requireRole('admin');
		const form = readForm(await formDataOf(request), schema);
		if (!form.ok) return fail(400, { error: 'Choose a version to publish.' });
		try {
			await publishPackage(params.course, form.data.version, admin.id);
		} catch (e) {
			if (e instanceof PackageRefused) return fail(400, { error: e.message });
			throw e;
		}
		redirect(303, `/admin/courses/${params.course}?published=${form.data.version}`);
	}
} satisfies Actions;
