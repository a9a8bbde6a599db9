import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/http/guards';
import { formDataOf } from '$lib/server/http/forms';
import { allCourses } from '$lib/server/content/catalog';
import {
	learnerCounts,
	PackageRefused,
	uploadedCourseVersions,
	uploadPackage
} from '$lib/server/authoring/packages';
import { PACKAGE_LIMITS } from '$lib/server/authoring/package-files';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	requireRole('admin');
	const [learners, uploads] = await Promise.all([learnerCounts(), uploadedCourseVersions()]);
	const served = allCourses();
	const rows = served.map(({ course, source }) => ({
		id: course.id,
		title: course.title,
		version: course.version,
		source,
		package: uploads.get(course.id) ?? null,
		published: course.published,
		learners: learners.get(course.id) ?? 0
	}));
	// Uploaded courses never published yet are listed too, so their versions can be reached.
	for (const [id, versions] of uploads)
		if (!served.some((s) => s.course.id === id))
			rows.push({
				id,
				title: id,
				version: 0,
				source: 'uploaded',
				package: versions,
				published: false,
				learners: learners.get(id) ?? 0
			});
	return { courses: rows, maxMegabytes: PACKAGE_LIMITS.uploadBytes / 1e6 };
}) satisfies PageServerLoad;

export const actions = {
	upload: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await formDataOf(request);
		const file = form.get('package');
		const given = form.get('courseId');
		const courseId = (typeof given === 'string' && given.trim()) || undefined;
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { error: 'Choose a .zip course package, a GIFT file or a Moodle XML file.', courseId });
		let result;
		try {
			result = await uploadPackage({
				fileName: file.name,
				bytes: Buffer.from(await file.arrayBuffer()),
				courseId,
				userId: admin.id
			});
		} catch (e) {
			if (e instanceof PackageRefused) return fail(400, { error: e.message, courseId });
			throw e;
		}
		redirect(303, `/admin/courses/${result.courseId}?uploaded=${result.version}`);
	}
} satisfies Actions;
