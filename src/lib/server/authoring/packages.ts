// Uploaded course packages in PostgreSQL: every version as uploaded with its courses:check
// messages, the published version of each course, and this instance's copy of the published
// courses. A publish (or roll back) is announced with NOTIFY, and every instance listening
// reloads within a moment; a periodic re-read covers a notification lost to a reconnect.
import fs from 'node:fs';
import path from 'node:path';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { parse as parseYaml } from 'yaml';
import { dataDir } from '../config';
import { databaseClient, db } from '../db';
import { coursePackages, enrolments, publishedPackages } from '../db/schema';
import { formatProblem, loadCourse, type Problem } from '../content/load';
import { isFileCourse, useUploadedCourses } from '../content/catalog';
import {
	authoringHints,
	formatHint,
	formatWarning,
	questionsWithoutLesson
} from '../content/authoring-hints';
import type { Course } from '../content/types';
import { PackageRefused, packageFiles, writeFolder } from './package-files';

export { PackageRefused };
export const PUBLISH_CHANNEL = 'course_published';

const packagesRoot = () => path.join(dataDir(), 'course-packages');
const versionDir = (courseId: string, version: number) =>
	path.join(packagesRoot(), courseId, `v${version}`);

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Loads a package's files as a course; problems name files inside the package. */
function checkFolder(dir: string): { course?: Course; problems: Problem[]; warnings: string[] } {
	const { course, problems } = loadCourse(dir, dir);
	const warnings = course
		? [
				...authoringHints(course).map((h) => formatHint(h, dir)),
				...questionsWithoutLesson(course).map((w) => formatWarning(w, dir))
			]
		: [];
	return { course, problems, warnings };
}

/**
 * Stores an upload as the course's next package version, checked. Refused (nothing stored) when
 * the file cannot be read as a package or its id belongs to a course from files.
 */
export async function uploadPackage(input: {
	fileName: string;
	bytes: Buffer;
	courseId?: string;
	userId: string;
}): Promise<{ courseId: string; version: number; problems: Problem[]; reports: string[] }> {
	if (input.courseId !== undefined && !ID.test(input.courseId))
		throw new PackageRefused('A course id is lowercase letters, digits and single dashes.');
	const { files, reports } = await packageFiles(input.fileName, input.bytes, input.courseId);
	const declared = (() => {
		try {
			return (parseYaml(files.get('course.yaml')!.toString('utf8')) as { id?: unknown })?.id;
		} catch {
			return undefined;
		}
	})();
	const courseId = typeof declared === 'string' && ID.test(declared) ? declared : undefined;
	if (!courseId)
		throw new PackageRefused(
			'course.yaml: give the course an id (lowercase letters, digits and dashes).'
		);
	if (isFileCourse(courseId))
		throw new PackageRefused(
			`The course "${courseId}" comes from files in courses/; an upload cannot replace it. Change the id, or edit the files.`
		);
	fs.mkdirSync(packagesRoot(), { recursive: true });
	const scratch = path.join(
		packagesRoot(),
		`.check-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`
	);
	let checked;
	try {
		writeFolder(scratch, files);
		checked = checkFolder(scratch);
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
	const encoded = Object.fromEntries([...files].map(([k, v]) => [k, v.toString('base64')]));
	const version = await db().transaction(async (tx) => {
		// One upload at a time per course numbers the versions without gaps or clashes.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`course-package:${courseId}`}))`);
		const [last] = await tx
			.select({ version: coursePackages.version })
			.from(coursePackages)
			.where(eq(coursePackages.courseId, courseId))
			.orderBy(desc(coursePackages.version))
			.limit(1);
		const next = (last?.version ?? 0) + 1;
		await tx.insert(coursePackages).values({
			courseId,
			version: next,
			fileName: input.fileName,
			files: encoded,
			problems: checked.problems,
			warnings: [...reports, ...checked.warnings],
			uploadedBy: input.userId
		});
		return next;
	});
	return { courseId, version, problems: checked.problems, reports };
}

export async function packageVersions(courseId: string) {
	return db()
		.select({
			version: coursePackages.version,
			fileName: coursePackages.fileName,
			problems: coursePackages.problems,
			warnings: coursePackages.warnings,
			uploadedAt: coursePackages.uploadedAt
		})
		.from(coursePackages)
		.where(eq(coursePackages.courseId, courseId))
		.orderBy(desc(coursePackages.version));
}

/** Uploaded courses with their latest and published versions, for the admin's list. */
export async function uploadedCourseVersions(): Promise<
	Map<string, { latest: number; published: number | null }>
> {
	const rows = await db()
		.select({
			courseId: coursePackages.courseId,
			latest: sql<number>`max(${coursePackages.version})`.mapWith(Number),
			published: sql<number | null>`max(${publishedPackages.version})`
		})
		.from(coursePackages)
		.leftJoin(publishedPackages, eq(publishedPackages.courseId, coursePackages.courseId))
		.groupBy(coursePackages.courseId);
	return new Map(
		rows.map((r) => [
			r.courseId,
			{ latest: r.latest, published: r.published === null ? null : Number(r.published) }
		])
	);
}

export async function learnerCounts(): Promise<Map<string, number>> {
	const rows = await db()
		.select({ courseId: enrolments.courseId, learners: count() })
		.from(enrolments)
		.groupBy(enrolments.courseId);
	return new Map(rows.map((r) => [r.courseId, r.learners]));
}

/** A package version as a course, for preview (published or not); undefined if it fails. */
export async function packageCourse(
	courseId: string,
	version: number
): Promise<{ course?: Course; problems: Problem[] } | undefined> {
	const [row] = await db()
		.select({ files: coursePackages.files })
		.from(coursePackages)
		.where(and(eq(coursePackages.courseId, courseId), eq(coursePackages.version, version)));
	if (!row) return undefined;
	const dir = versionDir(courseId, version);
	writeFolder(dir, row.files);
	return loadCourse(dir, dir);
}

/**
 * Publishes a checked version (a new one, or an earlier one to roll back) and tells every
 * instance. A version with check problems is refused.
 */
export async function publishPackage(courseId: string, version: number, userId: string) {
	const [row] = await db()
		.select({ problems: coursePackages.problems })
		.from(coursePackages)
		.where(and(eq(coursePackages.courseId, courseId), eq(coursePackages.version, version)));
	if (!row) throw new PackageRefused(`There is no version ${version} of "${courseId}".`);
	if (row.problems.length)
		throw new PackageRefused(
			`Version ${version} did not pass the check (${row.problems.length} problem${row.problems.length === 1 ? '' : 's'}); upload a corrected package.`
		);
	if (isFileCourse(courseId))
		throw new PackageRefused(`"${courseId}" comes from files in courses/.`);
	await db().transaction(async (tx) => {
		await tx
			.insert(publishedPackages)
			.values({ courseId, version, publishedBy: userId })
			.onConflictDoUpdate({
				target: publishedPackages.courseId,
				set: { version, publishedBy: userId, publishedAt: sql`now()` }
			});
		// Delivered when the transaction commits, to every instance listening.
		await tx.execute(sql`select pg_notify(${PUBLISH_CHANNEL}, ${courseId})`);
	});
	await loadPublishedPackages();
}

let loading: Promise<void> | undefined;
let again = false;

/** Reads the published versions and serves them; calls while one runs queue one more run. */
export function loadPublishedPackages(log: (m: string) => void = console.log): Promise<void> {
	if (loading) {
		again = true;
		return loading;
	}
	loading = (async () => {
		do {
			again = false;
			const rows = await db()
				.select({
					courseId: publishedPackages.courseId,
					version: publishedPackages.version,
					files: coursePackages.files
				})
				.from(publishedPackages)
				.innerJoin(
					coursePackages,
					and(
						eq(coursePackages.courseId, publishedPackages.courseId),
						eq(coursePackages.version, publishedPackages.version)
					)
				);
			const courses: Course[] = [];
			for (const row of rows) {
				const dir = versionDir(row.courseId, row.version);
				writeFolder(dir, row.files);
				const { course, problems } = loadCourse(dir, dir);
				if (course) courses.push(course);
				for (const p of problems)
					log(`Uploaded course ${row.courseId} v${row.version} (skipped): ${formatProblem(p)}`);
			}
			useUploadedCourses(courses);
		} while (again);
	})().finally(() => (loading = undefined));
	return loading;
}

/**
 * Keeps this instance's uploaded courses current: LISTEN for publishes, and re-read every
 * `everyMs` in case a notification was lost while the connection was down. Returns a stop.
 */
export async function followPublishes(everyMs = 30_000): Promise<() => Promise<void>> {
	await loadPublishedPackages();
	const client = databaseClient();
	const subscription = await client.listen(
		PUBLISH_CHANNEL,
		() =>
			void loadPublishedPackages().catch((e: unknown) =>
				console.error('Reloading uploaded courses failed:', e)
			),
		() => void loadPublishedPackages().catch(() => {})
	);
	const timer = setInterval(
		() =>
			void loadPublishedPackages().catch((e: unknown) =>
				console.error('Reloading uploaded courses failed:', e)
			),
		everyMs
	);
	timer.unref();
	return async () => {
		clearInterval(timer);
		await subscription.unlisten();
	};
}
