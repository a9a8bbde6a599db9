// `npm run export` of a course uploaded at /admin/courses, which lives in the site's database and
// not in courses/: the command finds it there (as npm start finds the database), exports the
// published version, not a newer upload, as GIFT, Moodle XML or a folder that loads as the same
// course, and says a course only uploaded, never published, is not there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { publishPackage, uploadPackage } from '../../src/lib/server/authoring/packages';
import { parseMoodleXml } from '../../src/lib/server/authoring/moodle-xml';
import { courseQuizzes } from '../../src/lib/server/content/authoring-hints';
import { loadCatalog } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import { freshDatabase } from '../support/fresh-database';
import { folderEntries, makeZip } from '../support/zip';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const coursesDir = path.join(repoRoot, 'tests', 'fixtures', 'courses');
const fixtureDir = path.join(coursesDir, 'fixture-course');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-export-'));
// The site's data dir (where it unpacks the packages it serves) and the command's own: the
// command reads the course from the database, not from files the site left behind.
const siteDataDir = path.join(root, 'site-data');
const cliDataDir = path.join(root, 'cli-data');
let url: string;

function readFolder(dir: string, prefix = ''): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${e.name}` : e.name;
		if (e.isDirectory()) for (const [k, v] of readFolder(dir, rel)) out.set(k, v);
		else out.set(rel, fs.readFileSync(path.join(dir, rel)));
	}
	return out;
}

/** The fixture course as an uploaded package under another id and title. */
function coursePackage(id: string, title: string): Buffer {
	const files = readFolder(fixtureDir);
	const yaml = files
		.get('course.yaml')!
		.toString()
		.replace(/^id: .*$/m, `id: ${id}`)
		.replace(/^title: .*$/m, `title: ${title}`);
	files.set('course.yaml', Buffer.from(yaml));
	return makeZip(folderEntries(files, `${id}/`));
}

function exportCommand(args: string[]) {
	const r = spawnSync(
		process.execPath,
		['--import', 'tsx', path.join(repoRoot, 'scripts', 'export.ts'), ...args],
		{
			cwd: repoRoot,
			encoding: 'utf8',
			timeout: 120_000,
			env: { ...process.env, DATABASE_URL: url, DATA_DIR: cliDataDir, COURSES_DIR: coursesDir }
		}
	);
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
	process.env.DATA_DIR = siteDataDir;
	({ url } = await freshDatabase());
	loadCatalog([coursesDir], () => {});
	const made = await createUser({
		name: 'Author Admin',
		email: 'author-admin@example.com',
		password: 'plum-tractor-71'
	});
	if (!made.ok) throw new Error(made.message);
	const userId = made.value.id;
	const upload = async (id: string, title: string) =>
		expect(
			await uploadPackage({ fileName: 'course.zip', bytes: coursePackage(id, title), userId })
		).toMatchObject({ courseId: id, problems: [] });
	await upload('club-course', 'Published title');
	await publishPackage('club-course', 1, userId);
	// A newer version uploaded but not published yet: learners still get version 1.
	await upload('club-course', 'Draft title');
	await upload('draft-course', 'Never published');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('npm run export of an uploaded course', { timeout: 180_000 }, () => {
	const fixture = loadCourse(fixtureDir).course!;
	const questions = courseQuizzes(fixture).flatMap((quiz) => quiz.questions).length;

	it('writes the published version as a folder that loads as the same course', () => {
		const out = path.join(root, 'folder');
		const r = exportCommand(['--course', 'club-course', '--format', 'folder', '--out', out]);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stderr).toContain(`Wrote club-course (version 1) to ${out}`);
		const { course, problems } = loadCourse(out);
		expect(problems).toEqual([]);
		expect(course).toMatchObject({ id: 'club-course', title: 'Published title' });
		expect(course!.modules.map((m) => m.id)).toEqual(fixture.modules.map((m) => m.id));
		// Unpacked from the database into the command's own data dir, not read from the site's.
		expect(fs.existsSync(path.join(cliDataDir, 'course-packages', 'club-course', 'v1'))).toBe(true);
	});

	it('writes its quizzes as GIFT and Moodle XML', () => {
		const gift = exportCommand(['--course', 'club-course', '--format', 'gift']);
		expect(gift.code, gift.stderr).toBe(0);
		expect(gift.stdout).toContain('$CATEGORY:');
		expect(gift.stderr).toMatch(/Exported \d+ questions of club-course\./);
		const xml = path.join(root, 'bank.xml');
		const moodle = exportCommand([
			'--course',
			'club-course',
			'--format',
			'moodle-xml',
			'--out',
			xml
		]);
		expect(moodle.code, moodle.stderr).toBe(0);
		expect(moodle.stderr).toContain(`Exported ${questions} questions of club-course to ${xml}.`);
		expect(parseMoodleXml(fs.readFileSync(xml, 'utf8')).questions).toHaveLength(questions);
	});

	it('does not find a course that was uploaded but never published', () => {
		const r = exportCommand(['--course', 'draft-course', '--format', 'gift']);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/No course "draft-course" in .* or published from \/admin\/courses/);
	});
});
