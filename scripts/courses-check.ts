// `npm run courses:check [folder…]`: validates course folders and prints every problem with its
// file and line. Exits non-zero when any course has a problem.
import './lib/environment.js';
import path from 'node:path';
import fs from 'node:fs';
import { formatProblem, loadCourse, loadCourses } from '../src/lib/server/content/load';
import { authoringHints } from '../src/lib/server/content/authoring-hints';
import { coursesDirs } from '../src/lib/server/config';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const { positionals: targets } = readCommandLine(
	`Usage: npm run courses:check -- [folder…]

Checks course folders (a course, or a folder of courses) and prints every problem with its file
and line, and the authoring warnings. Without a folder: every folder in COURSES_DIR (${coursesDirs().join(', ')}).
Exit status: 0 no problems, 1 problems found, 2 a mistake on the command line.

Options:
  -h, --help   this text`,
	{ allowPositionals: true, options: {} }
);
for (const t of targets)
	if (!fs.existsSync(t)) refuseUsage(`Usage: npm run courses:check`, `no such folder: ${t}`);
const results = targets.length
	? targets.map((t) => {
			const dir = path.resolve(t);
			const r = fs.existsSync(path.join(dir, 'course.yaml')) ? loadCourse(dir) : loadCourses(dir);
			return 'courses' in r ? r : { courses: r.course ? [r.course] : [], problems: r.problems };
		})
	: coursesDirs().map((d) => loadCourses(d));

let count = 0;
for (const { courses, problems } of results) {
	for (const p of problems) console.error(formatProblem(p));
	count += problems.length;
	for (const c of courses) {
		const quizzes = c.modules.filter((m) => m.quiz).length + (c.finalExam ? 1 : 0);
		console.log(
			`✓ ${c.id}: ${c.modules.length} modules, ${c.lessons.length} lessons, ${quizzes} quizzes`
		);
		for (const hint of authoringHints(c))
			console.log(`  warning: ${path.relative(process.cwd(), hint.file)}: ${hint.message}`);
	}
}
if (count) {
	console.error(`\n${count} problem${count === 1 ? '' : 's'} found.`);
	process.exit(1);
}
