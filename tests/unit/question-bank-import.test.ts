/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed any */
// Importing question banks: the GIFT and Moodle XML fixtures (written from the formats' public
// documentation) map every type we have, keep escapes, comments, categories, weights, ranges,
// CDATA, entities and base64 images; everything we cannot represent or that is broken is
// reported with its line and reason; and the command writes a course courses:check accepts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGift } from '../../src/lib/server/authoring/gift';
import { parseMoodleXml } from '../../src/lib/server/authoring/moodle-xml';
import { firstBadUtf8Line, readBank } from '../../src/lib/server/authoring/read-bank';
import type { Bank } from '../../src/lib/server/authoring/question-bank';
import type { QuestionFile } from '../../src/lib/content/schema';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'import');
const giftSource = fs.readFileSync(path.join(fixtures, 'bank.gift'), 'utf8');
const xmlSource = fs.readFileSync(path.join(fixtures, 'bank.xml'), 'utf8');

const temp: string[] = [];
afterAll(() => temp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
	temp.push(d);
	return d;
};

const byId = (bank: Bank, id: string): QuestionFile => {
	const found = bank.questions.find((q) => q.question.id === id);
	if (!found)
		throw new Error(`no question ${id}: ${bank.questions.map((q) => q.question.id).join(', ')}`);
	return found.question;
};
const lineOf = (source: string, text: string) =>
	source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('GIFT', () => {
	const bank = parseGift(giftSource);

	it('reads single choice with feedback, general feedback, the [id:] and [tag:] comment and a multi-line stem', () => {
		const q = byId(bank, 'warm-up-length');
		expect(q).toMatchObject({
			type: 'single',
			tags: ['scenario'],
			prompt:
				'A runner has 20 minutes before a race.\nHow long should the easy jog part of the warm-up last?',
			explanation: 'A warm-up raises temperature gradually; see the warm-up lesson.'
		});
		if (q.type !== 'single') throw new Error();
		expect(q.options.map((o) => [o.text, o.correct, o.feedback])).toEqual([
			['About 10 minutes', true, "Enough to raise the body's temperature without tiring."],
			['About 1 minute', false, 'Too short to warm the muscles.'],
			['About 45 minutes', false, 'Longer than the time there is.']
		]);
		expect(q.lesson).toBeUndefined();
	});

	it('keeps escaped special characters as written', () => {
		const q = byId(bank, 'escapes');
		expect(q.prompt).toBe(
			"Which of these is written with GIFT's special characters { } = ~ # : in it?"
		);
		if (q.type !== 'single') throw new Error();
		expect(q.options[0]!.text).toBe('The text a=b ~ c#d {e} f:g');
	});

	it('reads ~%50% weights as a multiple-response question with partial credit', () => {
		const q = byId(bank, 'stretch-choices');
		if (q.type !== 'multiple') throw new Error(q.type);
		expect(q.scoring).toBe('partial');
		expect(q.prompt).toBe('Which stretches work the **hip flexors**? Select all that apply.');
		expect(q.options.filter((o) => o.correct).map((o) => o.text)).toEqual([
			'A kneeling lunge stretch',
			'A standing quad stretch with the pelvis tucked'
		]);
	});

	it('reads true/false with the wrong-answer feedback, short answers with alternatives and the * feedback', () => {
		expect(byId(bank, 'psoas-true')).toMatchObject({
			type: 'truefalse',
			answer: true,
			feedback: 'It does attach there.',
			explanation: 'The iliopsoas tendon inserts on the lesser trochanter.'
		});
		expect(byId(bank, 'sitting-false')).toMatchObject({ type: 'truefalse', answer: false });
		expect(byId(bank, 'name-the-muscle')).toMatchObject({
			type: 'text',
			accept: ['iliacus', 'the iliacus'],
			feedback: 'The other part of the iliopsoas is the iliacus.'
		});
	});

	it('reads numeric answers {#2:1} and ranges {#160..180} as answer and tolerance', () => {
		expect(byId(bank, 'rest-days')).toMatchObject({ type: 'numeric', answer: 2, tolerance: 1 });
		expect(byId(bank, 'cadence-range')).toMatchObject({
			type: 'numeric',
			answer: 170,
			tolerance: 10,
			feedback: 'Most runners fall in this range.'
		});
	});

	it('reads missing-word questions with a blank, matching pairs, and sanitises [html]', () => {
		expect(byId(bank, 'missing-word').prompt).toBe(
			'Ice is best kept on the skin for _____ at a time.'
		);
		const m = byId(bank, 'match-the-muscle');
		if (m.type !== 'matching') throw new Error();
		expect(m.pairs.map((p) => [p.left, p.right])).toEqual([
			['Psoas major', 'Flexes the hip'],
			['Gluteus maximus', 'Extends the hip'],
			['Gluteus medius', 'Abducts the hip']
		]);
		const h = byId(bank, 'format-html');
		expect(h.prompt).not.toContain('script');
		expect(h.prompt).not.toContain('alert');
		if (h.type !== 'single') throw new Error();
		expect(h.options[0]!.text).toBe('Night pain that wakes you');
	});

	it('puts every question under its $CATEGORY', () => {
		expect(new Set(bank.questions.map((q) => q.category))).toEqual(new Set(['Warm-up basics']));
	});

	it('reports each question it cannot take with its line and why, and imports none of them', () => {
		const at = (text: string) => lineOf(giftSource, text);
		expect(bank.reports).toEqual([
			{ line: at('::Essay::'), kind: 'skipped', message: expect.stringMatching(/^essay/) },
			{
				line: at('::A description::'),
				kind: 'skipped',
				message: expect.stringMatching(/description/)
			},
			{
				line: at('::Partial single::'),
				kind: 'skipped',
				message: expect.stringMatching(/partial credit/)
			},
			{
				line: at('::Weights off::'),
				kind: 'error',
				message: 'the weights of the correct answers add up to 90%, not 100%'
			},
			{
				line: at('::Unclosed::'),
				kind: 'error',
				message: expect.stringMatching(/^unclosed brace/)
			},
			{
				line: at('::Unknown::'),
				kind: 'error',
				message: expect.stringMatching(/^unknown question type/)
			}
		]);
		expect(bank.questions).toHaveLength(11);
	});

	it('reports a brace opened on a later line of the question at that line', () => {
		const b = parseGift('::Q::First line\nsecond line {\n=a\n~b\n\n::R::Fine {T}');
		expect(b.reports).toEqual([
			{ line: 2, kind: 'error', message: expect.stringMatching(/^unclosed brace/) }
		]);
		expect(b.questions.map((q) => q.question.id)).toEqual(['r']);
	});

	it('notes a penalty it changes, and skips unequal weights', () => {
		const b = parseGift('Pick two.{~%50%A ~%50%B ~%-100%C}\n\nPick two again.{~%70%A ~%30%B ~C}');
		expect(b.questions).toHaveLength(1);
		expect(b.reports.map((r) => [r.line, r.kind])).toEqual([
			[1, 'note'],
			[3, 'skipped']
		]);
		expect(b.reports[0]!.message).toMatch(/takes away 50%.*-100%/);
	});
});

describe('Moodle XML', () => {
	const bank = parseMoodleXml(xmlSource);

	it('reads CDATA and entities as text, points, idnumber, tags and general feedback', () => {
		const q = byId(bank, 'iliopsoas-parts');
		expect(q).toMatchObject({
			type: 'single',
			points: 2,
			tags: ['scenario'],
			explanation: 'The iliopsoas is psoas major & iliacus.'
		});
		if (q.type !== 'single') throw new Error();
		expect(q.options.map((o) => [o.text, o.correct])).toEqual([
			['Psoas major & rectus femoris', false],
			['Psoas major & iliacus', true],
			['Sartorius & pectineus', false]
		]);
		expect(q.prompt).toContain('<strong>iliopsoas</strong>');
	});

	it('turns a base64 image into a file beside the quiz, shown by the prompt', () => {
		const found = bank.questions.find((q) => q.question.id === 'iliopsoas-parts')!;
		expect(found.images.map((i) => i.name)).toEqual(['hip-diagram.png']);
		expect(found.images[0]!.data.subarray(1, 4).toString()).toBe('PNG');
		expect(found.question.prompt).toContain('![A red dot](hip-diagram.png)');
	});

	it('reads every type we have', () => {
		expect(byId(bank, 'glute-exercises')).toMatchObject({ type: 'multiple', scoring: 'partial' });
		expect(byId(bank, 'psoas-nerve')).toMatchObject({
			type: 'truefalse',
			answer: true,
			feedback: 'It does: from L1 to L3.'
		});
		expect(byId(bank, 'other-part')).toMatchObject({
			type: 'text',
			accept: ['iliacus'],
			feedback: 'It is the iliacus.'
		});
		expect(byId(bank, 'hold-time')).toMatchObject({
			type: 'numeric',
			answer: 30,
			tolerance: 5,
			unit: 'seconds',
			feedback: 'Hold about 30 seconds.'
		});
		expect(byId(bank, 'actions')).toMatchObject({
			type: 'matching',
			pairs: [
				{ left: 'Psoas major', right: 'Flexes the hip' },
				{ left: 'Gluteus maximus', right: 'Extends the hip' }
			],
			feedback: 'See the anatomy lesson.'
		});
		const o = byId(bank, 'warm-up-order');
		if (o.type !== 'ordering') throw new Error();
		expect(o.items.map((i) => i.text)).toEqual(['Easy jog', 'Dynamic drills', 'Strides']);
	});

	it('reports essay, cloze, calculated, drag and drop, random matching and unknown types by line', () => {
		const at = (text: string) => lineOf(xmlSource, text);
		expect(bank.reports.map((r) => [r.line, r.kind])).toEqual([
			[at('type="essay"'), 'skipped'],
			[at('type="multianswer"'), 'skipped'],
			[at('type="calculated"'), 'skipped'],
			[at('type="ddimageortext"'), 'skipped'],
			[at('type="randomsamatch"'), 'skipped'],
			[at('type="mystery"'), 'error']
		]);
		expect(bank.reports.at(-1)!.message).toBe('unknown question type "mystery"');
	});

	it('says where XML is not well-formed', () => {
		const b = parseMoodleXml('<quiz>\n<question type="truefalse">\n<name>\n</quiz>');
		expect(b.questions).toEqual([]);
		expect(b.reports).toHaveLength(1);
		expect(b.reports[0]).toMatchObject({
			kind: 'error',
			message: expect.stringMatching(/^not well-formed XML/)
		});
		expect(b.reports[0]!.line).toBeGreaterThan(1);
	});
});

describe('files that are not UTF-8', () => {
	it('are refused with the line of the first bad byte', () => {
		const bytes = Buffer.concat([
			Buffer.from('Line one {T}\n\nLine three caf'),
			Buffer.from([0xe9]),
			Buffer.from(' {F}\n')
		]);
		expect(firstBadUtf8Line(bytes)).toBe(3);
		expect(readBank(bytes, 'gift')).toEqual({
			questions: [],
			reports: [{ line: 3, kind: 'error', message: expect.stringMatching(/not UTF-8/) }]
		});
		expect(firstBadUtf8Line(Buffer.from('café\n'))).toBeUndefined();
	});
});

const run = (script: string, args: string[], cwd = repoRoot) =>
	spawnSync(
		process.execPath,
		['--import', 'tsx', path.join(repoRoot, 'scripts', script), ...args],
		{
			cwd,
			encoding: 'utf8'
		}
	);

describe('npm run import', { timeout: 180_000 }, () => {
	for (const [name, file] of [
		['GIFT', 'bank.gift'],
		['Moodle XML', 'bank.xml']
	] as const)
		it(`writes a ${name} bank as a course that courses:check accepts, naming each question without a lesson`, () => {
			const out = path.join(tempDir(), 'course');
			const input = path.join(fixtures, file);
			const r = run('import.ts', [input, '--course', 'imported-bank', '--out', out]);
			expect(r.status, r.stderr).toBe(0);
			expect(r.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+: skipped: essay`));
			expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
			const check = run('courses-check.ts', [out]);
			expect(check.status, check.stderr).toBe(0);
			const unlinked = check.stdout.match(/no lesson yet/g) ?? [];
			const count = file.endsWith('gift') ? 11 : 7;
			expect(unlinked).toHaveLength(count);
			expect(check.stdout).toMatch(/quiz\.yaml:\d+: [a-z-]+: no lesson yet/);
		});

	it('puts every question in --module when given, and adds a module to an existing course', () => {
		const out = path.join(tempDir(), 'course');
		expect(
			run('import.ts', [
				path.join(fixtures, 'bank.gift'),
				'--course',
				'two',
				'--out',
				out,
				'--module',
				'first'
			]).status
		).toBe(0);
		expect(
			run('import.ts', [
				path.join(fixtures, 'bank.xml'),
				'--course',
				'two',
				'--out',
				out,
				'--module',
				'second'
			]).status
		).toBe(0);
		const again = run('import.ts', [
			path.join(fixtures, 'bank.xml'),
			'--course',
			'two',
			'--out',
			out,
			'--module',
			'second'
		]);
		expect(again.status).toBe(2);
		expect(again.stderr).toMatch(/Module "second" already has 02-second\/quiz\.yaml/);
		const check = run('courses-check.ts', [out]);
		expect(check.status, check.stderr).toBe(0);
		expect(check.stdout).toMatch(/two: 2 modules, 0 lessons, 2 quizzes/);
	});

	it('exits non-zero with file, line and reason when nothing can be imported, never a stack trace', () => {
		const dir = tempDir();
		const cases: [string, string | Buffer, RegExp][] = [
			['essay.gift', 'Tell us.{}\n', /essay\.gift:1: skipped: essay/],
			['braces.gift', '// c\n::Q::Open {=a ~b\n', /braces\.gift:2: error: unclosed brace/],
			[
				'latin1.gift',
				Buffer.from([0x51, 0x3f, 0x7b, 0x54, 0x7d, 0x0a, 0xe9, 0x0a]),
				/latin1\.gift:2: error: the file is not UTF-8/
			],
			[
				'broken.xml',
				'<quiz><question type="truefalse"></quiz>',
				/broken\.xml:1: error: not well-formed XML/
			],
			[
				'weights.gift',
				'Two.{~%50%A ~%20%B ~C}',
				/weights\.gift:1: error: the weights .* add up to 70%/
			]
		];
		for (const [name, content, message] of cases) {
			const file = path.join(dir, name);
			fs.writeFileSync(file, content);
			const r = run('import.ts', [file, '--course', 'nothing', '--out', path.join(dir, 'out')]);
			expect(r.status, name).toBe(1);
			expect(r.stderr).toMatch(message);
			expect(r.stderr).toMatch(/nothing could be imported/);
			expect(r.stderr).not.toMatch(/\n\s+at /);
			expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
		}
	});
});
