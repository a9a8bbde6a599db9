// `npm run import -- <file> --course <id> [--module <id>] [--out <folder>]`: reads a GIFT or
// Moodle XML question bank and writes course files that courses:check accepts. Every question
// left out is reported as `file:line: skipped: why` (or `error:` when the input is broken);
// exits non-zero only when nothing could be imported.
import './lib/environment.js';
import fs from 'node:fs';
import path from 'node:path';
import { coursesDirs } from '../src/lib/server/config';
import { formatProblem, loadCourse } from '../src/lib/server/content/load';
import {
	modulesOf,
	WriteRefused,
	writeImportedCourse
} from '../src/lib/server/authoring/course-writer';
import {
	formatOfName,
	formatReport,
	readBank,
	type BankFormat
} from '../src/lib/server/authoring/read-bank';
import { questionsWithoutLesson } from '../src/lib/server/content/authoring-hints';
import { readCommandLine } from './lib/command-line.js';

const HELP = `Usage: npm run import -- <file> --course <id> [--module <id>] [--out <folder>] [--format gift|moodle-xml]

Reads a question bank (GIFT: .gift or .txt; Moodle XML: .xml) and writes it as course files.
  --course <id>     the course id (lowercase letters, digits, dashes)
  --module <id>     put every question in this module (default: one module per $CATEGORY)
  --out <folder>    the course folder (default: courses/<id>); an existing course gets new modules
  --format <name>   gift or moodle-xml, when the file name does not say
Questions we cannot represent are listed as file:line: skipped: <why>. Exits 1 only when
nothing could be imported. See docs/authoring.md.
  -h, --help        this text`;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function fail(message: string): never {
	console.error(message);
	process.exit(2);
}

const { values, positionals } = readCommandLine(HELP, {
	allowPositionals: true,
	options: {
		course: { type: 'string' },
		module: { type: 'string' },
		out: { type: 'string' },
		format: { type: 'string' }
	}
});
const file = positionals[0];
if (!file || positionals.length > 1) fail(`Give one question bank file.\n\n${HELP}`);
if (!values.course || !ID.test(values.course))
	fail('--course needs an id of lowercase letters, digits and single dashes.');
if (values.module !== undefined && !ID.test(values.module))
	fail('--module needs an id of lowercase letters, digits and single dashes.');
const format = (values.format ?? formatOfName(file)) as BankFormat | undefined;
if (format !== 'gift' && format !== 'moodle-xml')
	fail(`Cannot tell the format of ${file}: use --format gift or --format moodle-xml.`);
if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail(`${file}: no such file.`);

const bank = readBank(fs.readFileSync(file), format);
for (const r of bank.reports) console.error(formatReport(file, r));
if (!bank.questions.length) {
	console.error(`${file}: nothing could be imported.`);
	process.exit(1);
}
const out = path.resolve(values.out ?? path.join(coursesDirs()[0]!, values.course));
let written: string[];
try {
	written = writeImportedCourse(out, values.course, modulesOf(bank.questions, values.module), file);
} catch (e) {
	if (e instanceof WriteRefused) fail(e.message);
	throw e;
}
const skipped = bank.reports.filter((r) => r.kind !== 'note').length;
console.log(
	`Imported ${bank.questions.length} question${bank.questions.length === 1 ? '' : 's'} into ${path.relative(process.cwd(), out) || out}` +
		(skipped ? ` (${skipped} left out, listed above)` : '') +
		`:\n${written.map((w) => `  ${w}`).join('\n')}`
);
// The same check courses:check runs: an import that does not pass it is a bug to report.
const { course, problems } = loadCourse(out);
for (const p of problems) console.error(formatProblem(p));
if (!course) process.exit(1);
const unlinked = questionsWithoutLesson(course).length;
console.log(
	`courses:check passes; ${unlinked} question${unlinked === 1 ? ' has' : 's have'} no lesson yet (a warning each until linked).`
);
