/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed any */
// Export and round trips: every type of the fixture course goes out as GIFT and Moodle XML and
// comes back with every field the format holds (what it cannot hold is reported, never lost in
// silence); a GIFT and a Moodle XML bank go through our format and out again unchanged; and the
// export command prints to standard output or --out and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportGift, exportMoodleXml } from '../../src/lib/server/authoring/export-bank';
import { parseGift } from '../../src/lib/server/authoring/gift';
import { parseMoodleXml } from '../../src/lib/server/authoring/moodle-xml';
import { modulesOf, writeImportedCourse } from '../../src/lib/server/authoring/course-writer';
import { loadCourse } from '../../src/lib/server/content/load';
import { courseQuizzes } from '../../src/lib/server/content/authoring-hints';
import type { QuestionFile } from '../../src/lib/content/schema';
import type { Course } from '../../src/lib/server/content/types';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const fixtureCourse = path.join(repoRoot, 'tests', 'fixtures', 'courses', 'fixture-course');
const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'import');

const temp: string[] = [];
afterAll(() => temp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
	temp.push(d);
	return d;
};

function load(dir: string): Course {
	const { course, problems } = loadCourse(dir);
	expect(problems).toEqual([]);
	return course!;
}

/**
 * A question as the formats can carry it: option, pair and step ids are named by their text on
 * the way back (Moodle has no such ids), and lesson links do not exist in a question bank.
 */
function portable(q: QuestionFile): Record<string, unknown> {
	const { lesson: _lesson, ...rest } = q as QuestionFile & { promptHtml?: string };
	delete (rest as { promptHtml?: string }).promptHtml;
	const out: Record<string, unknown> = { ...rest };
	if ('options' in q)
		out.options = q.options.map(({ text, correct, feedback }) => ({ text, correct, feedback }));
	if ('pairs' in q) out.pairs = q.pairs.map(({ left, right }) => ({ left, right }));
	if ('items' in q) out.items = q.items.map(({ text }) => text);
	return out;
}

const course = load(fixtureCourse);
const originals = courseQuizzes(course).flatMap((quiz) => quiz.questions);
const types = new Set(originals.map((q) => q.type));

describe('our format → Moodle XML → our format', () => {
	const result = exportMoodleXml(course);
	const back = parseMoodleXml(result.text);

	it('covers every type of the fixture course', () => {
		expect(types).toEqual(
			new Set(['single', 'multiple', 'truefalse', 'ordering', 'matching', 'numeric', 'text'])
		);
		expect(result.exported).toBe(originals.length);
		expect(back.reports.filter((r) => r.kind !== 'note')).toEqual([]);
	});

	for (const original of originals)
		it(`keeps every field of ${original.type} question ${original.id}`, () => {
			const found = back.questions.find((q) => q.question.id === original.id);
			expect(found, `${original.id} came back`).toBeDefined();
			expect(portable(found!.question)).toEqual(portable(original));
		});

	it('reports the lesson link it leaves out, by file and line', () => {
		const notes = result.reports.filter((r) => r.message.includes('lesson link'));
		expect(notes.length).toBe(originals.filter((q) => q.lesson).length);
		expect(notes[0]!.file).toMatch(/quiz\.yaml$/);
		expect(notes[0]!.line).toBeGreaterThan(0);
	});
});

describe('our format → GIFT → our format', () => {
	const result = exportGift(course);
	const back = parseGift(result.text);

	it('skips ordering (GIFT has none) and reports it by file and line', () => {
		const ordering = originals.filter((q) => q.type === 'ordering');
		expect(result.reports.filter((r) => r.kind === 'skipped')).toEqual(
			ordering.map((q) => ({
				file: expect.stringMatching(/\.yaml$/),
				line: expect.any(Number),
				kind: 'skipped',
				message: `${q.id}: GIFT has no ordering questions`
			}))
		);
		expect(result.exported).toBe(originals.length - ordering.length);
		expect(back.reports.filter((r) => r.kind !== 'note')).toEqual([]);
	});

	for (const original of originals.filter((q) => q.type !== 'ordering'))
		it(`keeps what GIFT holds of ${original.type} question ${original.id}`, () => {
			const found = back.questions.find((q) => q.question.id === original.id);
			expect(found, `${original.id} came back`).toBeDefined();
			const expected = portable(original);
			// GIFT has no points, no units, no matching feedback and no all-or-nothing scoring:
			// each of these is reported on export (checked below), and comes back as its default.
			const notes = result.reports
				.filter((r) => r.message.startsWith(`${original.id}:`))
				.map((r) => r.message);
			if (original.points !== 1) {
				expect(notes.join()).toMatch(/points/);
				expected.points = 1;
			}
			if (original.type === 'numeric' && original.unit) {
				expect(notes.join()).toMatch(/unit/);
				delete expected.unit;
			}
			if (original.type === 'matching') {
				expect(notes.join()).toMatch(/feedback left out/);
				expected.feedback = (found!.question as { feedback: string }).feedback;
			}
			if (original.type === 'multiple' && original.scoring === 'all-or-nothing') {
				expect(notes.join()).toMatch(/all-or-nothing/);
				expected.scoring = 'partial';
			}
			expect(portable(found!.question)).toEqual(expected);
		});
});

describe('question bank → our format → question bank', () => {
	for (const [name, file, parse, write] of [
		['GIFT', 'bank.gift', parseGift, exportGift],
		['Moodle XML', 'bank.xml', parseMoodleXml, exportMoodleXml]
	] as const)
		it(`${name}: every imported question comes back the same through the course files`, () => {
			const bank = parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
			const dir = tempDir();
			writeImportedCourse(dir, 'round-trip', modulesOf(bank.questions), file);
			const again = parse(write(load(dir)).text);
			expect(again.reports.filter((r) => r.kind !== 'note')).toEqual([]);
			for (const q of bank.questions) {
				const found = again.questions.find((x) => x.question.id === q.question.id);
				expect(found, q.question.id).toBeDefined();
				const expected = portable(q.question);
				// GIFT holds no points; the XML bank's prompt image comes back beside the quiz.
				if (name === 'GIFT') expected.points = (found!.question as { points: number }).points;
				expect(portable(found!.question)).toEqual(expected);
				if (name === 'Moodle XML')
					expect(found!.images.map((i) => i.data.toString('base64'))).toEqual(
						q.images.map((i) => i.data.toString('base64'))
					);
			}
		});
});

describe('npm run export', { timeout: 180_000 }, () => {
	const run = (args: string[]) =>
		spawnSync(
			process.execPath,
			['--import', 'tsx', path.join(repoRoot, 'scripts', 'export.ts'), ...args],
			{
				cwd: repoRoot,
				encoding: 'utf8',
				env: { ...process.env, COURSES_DIR: path.dirname(fixtureCourse) }
			}
		);

	it('prints GIFT to standard output and reports to standard error, exit 0', () => {
		const r = run(['--course', 'fixture-course', '--format', 'gift']);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/^\/\/ /);
		expect(r.stdout).toContain('$CATEGORY:');
		expect(r.stderr).toMatch(/quiz\.yaml:\d+: skipped: [a-z-]+: GIFT has no ordering questions/);
	});

	it('writes Moodle XML to --out, and a whole course with --format folder', () => {
		const dir = tempDir();
		const xml = path.join(dir, 'bank.xml');
		expect(run(['--course', 'fixture-course', '--format', 'moodle-xml', '--out', xml]).status).toBe(
			0
		);
		expect(parseMoodleXml(fs.readFileSync(xml, 'utf8')).questions.length).toBe(originals.length);
		const folder = path.join(dir, 'folder');
		expect(run(['--course', 'fixture-course', '--format', 'folder', '--out', folder]).status).toBe(
			0
		);
		expect(load(folder).id).toBe('fixture-course');
	});

	it('refuses an unknown course or format with a message', () => {
		const r = run(['--course', 'no-such-course', '--format', 'gift']);
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(/No course "no-such-course"/);
		const f = run(['--course', 'fixture-course', '--format', 'pdf']);
		expect(f.status).toBe(2);
		expect(f.stderr).toMatch(/--format must be gift, moodle-xml or folder/);
	});
});
