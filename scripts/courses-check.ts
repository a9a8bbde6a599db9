// `npm run courses:check [--strategies] [folder…]`: validates course folders and prints every
// problem with its file and line. Exits non-zero when any course has a problem. --strategies
// adds, per quiz, the expected score of a learner who knows nothing and answers by a habit.
import './lib/environment.js';
import path from 'node:path';
import fs from 'node:fs';
import { formatProblem, loadCourse, loadCourses } from '../src/lib/server/content/load';
import {
	authoringHints,
	courseQuizzes,
	formatHint
} from '../src/lib/server/content/authoring-hints';
import { coursesDirs } from '../src/lib/server/config';
import { formatStrategyTable, testWiseScores } from '../src/lib/server/content/test-wise';
import type { Course } from '../src/lib/server/content/types';

import { readCommandLine, refuseUsage } from './lib/command-line.js';

const {
	positionals: targets,
	values: { strategies: showStrategies }
} = readCommandLine(
	`Usage: npm run courses:check -- [--strategies] [folder…]

Checks course folders (a course, or a folder of courses) and prints every problem with its file
and line, and the authoring warnings. Without a folder: every folder in COURSES_DIR (${coursesDirs().join(', ')}).
Exit status: 0 no problems (warnings allowed), 1 problems found, 2 a mistake on the command line.

Options:
  --strategies  per quiz, the expected score of a learner who knows nothing and answers by a habit
                (always the longest option, the first shown, …)
  -h, --help    this text`,
	{ allowPositionals: true, options: { strategies: { type: 'boolean' } } }
);
for (const t of targets)
	if (!fs.existsSync(t)) refuseUsage(`Usage: npm run courses:check`, `no such folder: ${t}`);

function printStrategies(course: Course) {
	for (const quiz of courseQuizzes(course)) {
		const report = testWiseScores(quiz);
		const where = quiz.file ? ` (${path.relative(process.cwd(), quiz.file)})` : '';
		const how = report.shuffled
			? `averaged over ${report.arrangements} seeded arrangements`
			: "in the file's order";
		const guess = report.roundGuess === null ? '' : `; numeric items guessed ${report.roundGuess}`;
		console.log(`\n  ${quiz.id}${where}: pass mark ${quiz.settings.passPercent}%, ${how}${guess}`);
		for (const line of formatStrategyTable(report, quiz.questions, quiz.settings.passPercent))
			console.log(`    ${line}`);
	}
}
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
		for (const hint of authoringHints(c)) console.log(`  warning: ${formatHint(hint)}`);
		if (showStrategies) printStrategies(c);
	}
}
if (count) {
	console.error(`\n${count} problem${count === 1 ? '' : 's'} found.`);
	process.exit(1);
}
