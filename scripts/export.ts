// `npm run export -- --course <id> --format gift|moodle-xml|folder [--out <file>]`: writes a
// course's quizzes as a GIFT or Moodle XML question bank (to standard output without --out), or
// the whole course as a folder of files. What the format cannot hold is reported on standard
// error as `file:line: skipped: why` (or `note:` for a field left out); exits 0 when anything
// was exported.
import './lib/environment.js';
import fs from 'node:fs';
import path from 'node:path';
import { coursesDirs } from '../src/lib/server/config';
import { loadCourses } from '../src/lib/server/content/load';
import type { Course } from '../src/lib/server/content/types';
import {
	exportGift,
	exportMoodleXml,
	formatExportReport
} from '../src/lib/server/authoring/export-bank';
import { readCommandLine } from './lib/command-line.js';

const HELP = `Usage: npm run export -- --course <id> --format gift|moodle-xml|folder [--out <file>]

Writes a course's quizzes as a question bank Moodle imports (GIFT or Moodle XML), to standard
output or to --out; with --format folder, copies the whole course as files into --out (a folder).
Types and fields the format cannot hold are listed on standard error. See docs/authoring.md.
  -h, --help   this text`;

function fail(message: string, code = 2): never {
	console.error(message);
	process.exit(code);
}

const { values } = readCommandLine(HELP, {
	options: {
		course: { type: 'string' },
		format: { type: 'string' },
		out: { type: 'string' }
	}
});
if (!values.course) fail(`Name the course with --course <id>.\n\n${HELP}`);
const format = values.format;
if (format !== 'gift' && format !== 'moodle-xml' && format !== 'folder')
	fail(`--format must be gift, moodle-xml or folder.\n\n${HELP}`);

function fileCourse(id: string): Course | undefined {
	for (const dir of coursesDirs()) {
		const found = loadCourses(dir).courses.find((c) => c.id === id);
		if (found) return found;
	}
	return undefined;
}

/** The published version of an uploaded course, from the site's database (found as npm start finds it). */
async function uploadedCourse(id: string): Promise<Course | undefined> {
	const { openDatabaseForCli, closeDatabase } = await import('../src/lib/server/db');
	const { packageCourse, uploadedCourseVersions } =
		await import('../src/lib/server/authoring/packages');
	try {
		await openDatabaseForCli();
	} catch (e) {
		console.error(`The site's database could not be opened: ${(e as Error).message}`);
		return undefined;
	}
	try {
		const version = (await uploadedCourseVersions()).get(id)?.published;
		return version ? (await packageCourse(id, version))?.course : undefined;
	} finally {
		await closeDatabase();
	}
}

const course = fileCourse(values.course) ?? (await uploadedCourse(values.course));
if (!course)
	fail(
		`No course "${values.course}" in ${coursesDirs().join(', ')} or published from /admin/courses (or it has problems: run npm run courses:check).`,
		1
	);

if (format === 'folder') {
	if (!values.out) fail('--format folder needs --out <folder>.');
	const out = path.resolve(values.out);
	if (fs.existsSync(out) && fs.readdirSync(out).length) fail(`${out} is not empty.`);
	fs.cpSync(course.dir, out, { recursive: true });
	console.error(`Wrote ${course.id} (version ${course.version}) to ${out}`);
	process.exit(0);
}
const result = format === 'gift' ? exportGift(course) : exportMoodleXml(course);
for (const r of result.reports) console.error(formatExportReport(r));
if (values.out) fs.writeFileSync(values.out, result.text);
else process.stdout.write(result.text);
console.error(
	`Exported ${result.exported} question${result.exported === 1 ? '' : 's'} of ${course.id}${values.out ? ` to ${values.out}` : ''}.`
);
process.exit(result.exported ? 0 : 1);
