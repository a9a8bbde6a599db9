// The course file format: the fixture course loads and compiles as documented, every kind of
// broken course is reported with its message, file and (where known) line, lesson HTML is
// sanitised, and `npm run courses:check` exits non-zero with `file:line: message` output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse, loadCourses, type Problem } from '../../src/lib/server/content/load';
import { renderMarkdown, renderPrompt } from '../../src/lib/server/content/markdown';
import type { Course } from '../../src/lib/server/content/types';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const fixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'courses', 'fixture-course');
const brokenRoot = path.join(repoRoot, 'tests', 'fixtures', 'broken-courses');

const tempDirs: string[] = [];
afterAll(() => {
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A private copy of the fixture course that a test may edit. */
function copyFixture(): string {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-format-'));
	tempDirs.push(root);
	const dir = path.join(root, 'fixture-course');
	fs.cpSync(fixtureDir, dir, { recursive: true });
	return dir;
}

function loadOk(dir: string): Course {
	const result = loadCourse(dir);
	expect(result.problems).toEqual([]);
	expect(result.course).toBeDefined();
	return result.course!;
}

const lessonOf = (course: Course, id: string) => {
	const lesson = course.lessons.find((l) => l.id === id);
	if (!lesson) throw new Error(`No lesson ${id}`);
	return lesson;
};

const FRONT_MATTER = `---
id: first-steps
title: First steps
minutes: 5
objectives:
  - Warm the pot before brewing.
sources:
  - "FIX-1: The fixture author's kitchen notes"
---
`;

describe('the fixture course', () => {
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(`Fixture course failed: ${JSON.stringify(loaded.problems)}`);
	const course = loaded.course;

	it('loads with no problems and keeps the course metadata', () => {
		expect(loadCourse(fixtureDir).problems).toEqual([]);
		expect(course).toMatchObject({
			id: 'fixture-course',
			title: 'Brewing a pot of tea',
			version: 1,
			published: true,
			certificate: true,
			estimatedMinutes: 20,
			completion: { lessons: 'all', moduleQuizzes: 'passed', finalExam: 'passed' },
			dir: fixtureDir
		});
	});

	it('has the modules, lessons and quizzes in course order', () => {
		expect(course.modules.map((m) => m.id)).toEqual(['basics', 'advanced']);
		expect(course.modules.map((m) => m.lessons.map((l) => l.id))).toEqual([
			['first-steps', 'second-steps'],
			['deep-dive']
		]);
		expect(course.lessons.map((l) => l.id)).toEqual(['first-steps', 'second-steps', 'deep-dive']);
		expect(course.modules.map((m) => m.quiz?.id)).toEqual(['basics-quiz', 'advanced-quiz']);
		expect(course.modules.map((m) => m.quiz?.questions.length)).toEqual([3, 3]);
		expect(course.finalExam?.id).toBe('final-exam');
		expect(course.finalExam?.questions).toHaveLength(3);
	});

	it('gives each lesson its URL, module, file and front matter', () => {
		expect(course.lessons.map((l) => l.url)).toEqual([
			'/courses/fixture-course/basics/first-steps',
			'/courses/fixture-course/basics/second-steps',
			'/courses/fixture-course/advanced/deep-dive'
		]);
		const second = lessonOf(course, 'second-steps');
		expect(second).toMatchObject({
			moduleId: 'basics',
			title: 'Second steps',
			minutes: 5,
			objectives: ['Measure the leaves.', 'Time the brew.'],
			sources: ["FIX-1: The fixture author's kitchen notes"],
			file: path.join('fixture-course', '01-basics', '02-second-steps.md')
		});
	});

	it('reads quiz settings and fills in the defaults', () => {
		const basics = course.modules[0]!.quiz!;
		expect(basics.settings).toEqual({
			passPercent: 50,
			maxAttempts: null,
			waitMinutes: 0,
			grade: 'highest',
			timeLimitMinutes: null,
			shuffleQuestions: false,
			shuffleOptions: false,
			draw: null,
			review: 'explanations',
			answersOnlyWhenDone: false
		});
		expect(course.modules[1]!.quiz!.settings).toMatchObject({ passPercent: 50, waitMinutes: 0 });
		expect(course.finalExam!.settings).toMatchObject({
			passPercent: 60,
			maxAttempts: 2,
			timeLimitMinutes: 5
		});
	});

	it('covers every question type and keeps the feedback of each wrong option', () => {
		const questions = [
			...course.modules.flatMap((m) => m.quiz!.questions),
			...course.finalExam!.questions
		];
		expect(new Set(questions.map((q) => q.type))).toEqual(
			new Set(['single', 'multiple', 'truefalse', 'numeric', 'text', 'ordering', 'matching'])
		);
		const warmFirst = questions.find((q) => q.id === 'warm-first');
		expect(warmFirst?.type).toBe('single');
		if (warmFirst?.type !== 'single') return;
		expect(warmFirst.options.map((o) => [o.id, o.correct, o.feedback])).toEqual([
			['a', true, undefined],
			['b', false, 'A cold pot cools the water too quickly.'],
			['c', false, 'The leaves are already dry; heating them spoils the taste.']
		]);
		const green = questions.find((q) => q.id === 'green-temperature');
		expect(green).toMatchObject({ type: 'numeric', answer: 80, tolerance: 5, unit: '°C' });
		const multiple = questions.find((q) => q.id === 'brew-steps');
		expect(multiple).toMatchObject({ type: 'multiple', scoring: 'partial', points: 1 });
	});

	it('compiles question prompts from Markdown', () => {
		const prompt = course.modules[0]!.quiz!.questions[0]!.promptHtml;
		expect(prompt).toContain('<strong>before</strong>');
	});

	it('rewrites a link to another lesson file to that lesson’s URL, keeping the anchor', () => {
		expect(lessonOf(course, 'first-steps').html).toContain(
			'<a href="/courses/fixture-course/basics/second-steps">the second steps</a>'
		);
		expect(lessonOf(course, 'deep-dive').html).toContain(
			'<a href="/courses/fixture-course/basics/second-steps#measure-the-leaves">measuring the leaves</a>'
		);
		expect(lessonOf(course, 'first-steps').html).not.toContain('.md"');
	});

	it('rewrites an image beside the lesson to its media URL, keeping the alt text', () => {
		const html = lessonOf(course, 'first-steps').html;
		expect(html).toMatch(
			/<img src="\/courses\/fixture-course\/media\/01-basics\/square\.svg" alt="A red square"[^>]*>/
		);
		expect(html).not.toContain('src="square.svg"');
	});

	it('gives headings ids and anchor links', () => {
		const html = lessonOf(course, 'first-steps').html;
		expect(html).toContain(
			'<h2 id="warm-the-pot">Warm the pot <a class="anchor" href="#warm-the-pot"'
		);
		expect(html).toContain('<h2 id="next">');
		expect(lessonOf(course, 'second-steps').html).toContain('<h2 id="time-the-brew">');
		// The lesson page owns the h1, so no lesson emits one.
		expect(course.lessons.every((l) => !l.html.includes('<h1'))).toBe(true);
	});

	it('numbers repeated headings so their ids stay unique', () => {
		const html = renderMarkdown('## Steps\n\n## Steps\n\n### Steps', {
			link: (h) => h,
			image: () => null
		});
		expect(html).toContain('id="steps"');
		expect(html).toContain('id="steps-1"');
		expect(html).toContain('id="steps-2"');
	});

	it('versions each lesson by a hash that changes when its text changes', () => {
		const dir = copyFixture();
		const before = loadOk(dir);
		for (const l of before.lessons) expect(l.version).toMatch(/^[0-9a-f]{16}$/);
		expect(new Set(before.lessons.map((l) => l.version)).size).toBe(3);
		// The copy has the same text, so the same versions as the original.
		expect(before.lessons.map((l) => l.version)).toEqual(course.lessons.map((l) => l.version));

		const file = path.join(dir, '01-basics', '02-second-steps.md');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('one teaspoon', 'two teaspoons'));
		const after = loadOk(dir);
		expect(lessonOf(after, 'second-steps').version).toMatch(/^[0-9a-f]{16}$/);
		expect(lessonOf(after, 'second-steps').version).not.toBe(
			lessonOf(before, 'second-steps').version
		);
		expect(lessonOf(after, 'first-steps').version).toBe(lessonOf(before, 'first-steps').version);
		expect(lessonOf(after, 'deep-dive').version).toBe(lessonOf(before, 'deep-dive').version);
	});

	it('versions each quiz by a hash of its file', () => {
		const dir = copyFixture();
		const before = loadOk(dir);
		const file = path.join(dir, '02-advanced', 'quiz.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tolerance: 5', 'tolerance: 3'));
		const after = loadOk(dir);
		expect(after.modules[1]!.quiz!.version).not.toBe(before.modules[1]!.quiz!.version);
		expect(after.modules[0]!.quiz!.version).toBe(before.modules[0]!.quiz!.version);
		expect(after.finalExam!.version).toBe(before.finalExam!.version);
	});

	it('reports a malformed link escape as a broken link instead of crashing', () => {
		const dir = copyFixture();
		const file = path.join(dir, '01-basics', '02-second-steps.md');
		fs.appendFileSync(file, '\nSee [this](%zz.md) and ![A pot](%zz.svg).\n');
		const result = loadCourse(dir);
		expect(result.course).toBeUndefined();
		expect(result.problems).toEqual([
			{
				file: path.join('fixture-course', '01-basics', '02-second-steps.md'),
				line: undefined,
				message: 'Broken link to "%zz.md": no lesson at that path.'
			},
			{
				file: path.join('fixture-course', '01-basics', '02-second-steps.md'),
				line: undefined,
				message: 'Missing or unsupported image "%zz.svg".'
			}
		]);
	});
});

interface BrokenCase {
	name: string;
	problems: Problem[];
}

const p = (file: string, message: string, line?: number): Problem => ({ file, message, line });

const brokenCases: BrokenCase[] = [
	{
		name: 'unknown-key',
		problems: [p('unknown-key/course.yaml', 'Unknown key "titel".', 3)]
	},
	{
		// Silencing an item-writing check needs a reason, and a check that exists.
		name: 'allow-without-reason',
		problems: [
			p(
				'allow-without-reason/01-basics/quiz.yaml',
				'questions.0.allow.longest-key: Say why this check does not apply to this question.',
				8
			),
			p(
				'allow-without-reason/01-basics/quiz.yaml',
				'questions.1.allow: Unknown key "always-words".',
				22
			)
		]
	},
	{
		name: 'missing-module-folder',
		problems: [
			p('missing-module-folder/course.yaml', 'Module "extra": folder 02-extra/ does not exist.')
		]
	},
	{
		name: 'missing-final-exam',
		problems: [p('missing-final-exam/course.yaml', 'finalExam: final-exam.yaml does not exist.')]
	},
	{
		name: 'duplicate-lesson-id',
		// The id is on line 3 of the second file (its front matter starts with the title).
		problems: [
			p('duplicate-lesson-id/01-basics/02-copy.md', 'Duplicate lesson id "only-lesson".', 3)
		]
	},
	{
		name: 'duplicate-question-id',
		problems: [
			p(
				'duplicate-question-id/01-basics/quiz.yaml',
				'questions.1.id: Duplicate question id "kettle".',
				14
			)
		]
	},
	{
		name: 'broken-lesson-link',
		problems: [
			p(
				'broken-lesson-link/01-basics/01-only-lesson.md',
				'Broken link to "02-not-there.md": no lesson at that path.'
			)
		]
	},
	{
		name: 'missing-image',
		problems: [
			p('missing-image/01-basics/01-only-lesson.md', 'Missing or unsupported image "kettle.svg".')
		]
	},
	{
		name: 'image-without-alt',
		problems: [
			p('image-without-alt/01-basics/01-only-lesson.md', 'Image "square.svg" needs alt text.')
		]
	},
	{
		name: 'single-two-correct',
		problems: [
			p(
				'single-two-correct/01-basics/quiz.yaml',
				'questions.0.options: A single-choice question needs exactly one correct option.',
				9
			)
		]
	},
	{
		name: 'unknown-lesson-in-question',
		problems: [
			p(
				'unknown-lesson-in-question/01-basics/quiz.yaml',
				'Question "kettle" reviews lesson "no-such-lesson", which is not in module "basics".'
			)
		]
	},
	{
		name: 'bad-yaml-syntax',
		// Line 5 of the front matter is line 6 of the file. The lesson is left out, so the quiz
		// that reviews it is reported too.
		problems: [
			p(
				'bad-yaml-syntax/01-basics/01-only-lesson.md',
				'Flow sequence in block collection must be sufficiently indented and end with a ]',
				6
			),
			p(
				'bad-yaml-syntax/01-basics/quiz.yaml',
				'Question "kettle" reviews lesson "only-lesson", which is not in module "basics".'
			)
		]
	},
	{
		name: 'no-front-matter',
		problems: [
			p(
				'no-front-matter/01-basics/01-only-lesson.md',
				'Missing front matter (a --- block with id, title, minutes, objectives, sources).',
				1
			),
			p(
				'no-front-matter/01-basics/quiz.yaml',
				'Question "kettle" reviews lesson "only-lesson", which is not in module "basics".'
			)
		]
	},
	{
		name: 'wrong-type',
		problems: [
			p(
				'wrong-type/course.yaml',
				'estimatedMinutes: Invalid input: expected number, received string',
				4
			)
		]
	},
	{
		name: 'missing-feedback',
		problems: [
			p(
				'missing-feedback/01-basics/quiz.yaml',
				'questions.0.options: Every wrong option needs feedback.',
				9
			)
		]
	}
];

// Problem paths are relative to the folder holding the course, with the platform's separator.
const native = (problems: Problem[]) =>
	problems.map((x) => ({ ...x, file: x.file.split('/').join(path.sep) }));

describe('broken courses', () => {
	it('has one fixture folder per case, and no others', () => {
		expect(fs.readdirSync(brokenRoot).sort()).toEqual(brokenCases.map((c) => c.name).sort());
	});

	it.each(brokenCases)('$name: reported with its message, file and line', ({ name, problems }) => {
		const result = loadCourse(path.join(brokenRoot, name));
		expect(result.course).toBeUndefined();
		expect(result.problems).toEqual(native(problems));
	});

	it('each broken fixture differs from a valid course only by its mistake', () => {
		// Control: the same base course without a mistake loads cleanly, so every problem above
		// comes from the mistake and not from the base.
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-format-'));
		tempDirs.push(root);
		const dir = path.join(root, 'control');
		fs.cpSync(path.join(brokenRoot, 'missing-final-exam'), dir, { recursive: true });
		const courseFile = path.join(dir, 'course.yaml');
		fs.writeFileSync(
			courseFile,
			fs.readFileSync(courseFile, 'utf8').replace('finalExam: final-exam.yaml\n', '')
		);
		const course = loadOk(dir);
		expect(course.lessons.map((l) => l.id)).toEqual(['only-lesson']);
	});

	it('loadCourses reports every broken course and loads none of them', () => {
		const result = loadCourses(brokenRoot);
		expect(result.courses).toEqual([]);
		const inFolderOrder = [...brokenCases].sort((a, b) => a.name.localeCompare(b.name));
		expect(result.problems).toEqual(native(inFolderOrder.flatMap((c) => c.problems)));
	});
});

describe('sanitising lesson HTML', () => {
	const nasty = [
		'<script>alert(1)</script>',
		'',
		'<img src=x onerror=alert(1)>',
		'',
		'<iframe src="https://evil.example"></iframe>',
		'',
		'<div onclick="alert(1)">Click me</div>',
		'',
		'<a href="javascript:alert(1)">raw link</a>',
		'',
		'A safe paragraph with **bold** text.'
	].join('\n');
	const forbidden = ['<script', 'onerror', 'javascript:', '<iframe', 'onclick', 'alert(1)</'];

	const expectClean = (html: string) => {
		for (const bad of forbidden) expect(html.toLowerCase()).not.toContain(bad);
	};

	it('strips scripts, event handlers, iframes and javascript: links from a lesson', () => {
		const dir = copyFixture();
		fs.writeFileSync(path.join(dir, '01-basics', '01-first-steps.md'), FRONT_MATTER + nasty);
		// first-steps no longer links to second-steps, which still loads fine.
		const course = loadOk(dir);
		const html = lessonOf(course, 'first-steps').html;
		expectClean(html);
		expect(html).toContain('<strong>bold</strong>');
		expect(html).toContain('Click me');
	});

	it('reports a Markdown javascript: link in a lesson as broken and does not link it', () => {
		const dir = copyFixture();
		fs.writeFileSync(
			path.join(dir, '01-basics', '01-first-steps.md'),
			FRONT_MATTER + '[x](javascript:alert(1))\n'
		);
		const result = loadCourse(dir);
		expect(result.course).toBeUndefined();
		expect(result.problems).toEqual([
			{
				file: path.join('fixture-course', '01-basics', '01-first-steps.md'),
				line: undefined,
				message: 'Broken link to "javascript:alert(1)": no lesson at that path.'
			}
		]);
	});

	it('strips the same from a question prompt, whose links are not checked', () => {
		const html = renderPrompt(nasty + '\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1))');
		expectClean(html);
		expect(html).toContain('<strong>bold</strong>');
	});

	it('relies on the sanitiser even when a resolver lets every URL through', () => {
		const html = renderMarkdown(
			nasty + '\n\n[x](javascript:alert(1))\n\n![alt](javascript:alert(1))',
			{ link: (href) => href, image: (src) => src }
		);
		expectClean(html);
	});
});

describe('npm run courses:check', () => {
	const check = (target: string) =>
		spawnSync('npx', ['tsx', 'scripts/courses-check.ts', target], {
			cwd: repoRoot,
			encoding: 'utf8',
			timeout: 60_000
		});

	it('exits 1 and prints file:line: message for a broken course', () => {
		const run = check('tests/fixtures/broken-courses/duplicate-question-id');
		expect(run.status).toBe(1);
		expect(run.stderr).toContain(
			`${path.join('duplicate-question-id', '01-basics', 'quiz.yaml')}:14: questions.1.id: Duplicate question id "kettle".`
		);
		expect(run.stderr).toContain('1 problem found.');
		expect(run.stdout).not.toContain('✓');
	}, 60_000);

	it('exits 1 and lists every broken course when given the folder of courses', () => {
		const run = check('tests/fixtures/broken-courses');
		expect(run.status).toBe(1);
		const lines = run.stderr.split('\n');
		for (const c of brokenCases)
			for (const x of native(c.problems))
				expect(lines).toContain(`${x.file}${x.line ? `:${x.line}` : ''}: ${x.message}`);
		const count = brokenCases.flatMap((c) => c.problems).length;
		expect(run.stderr).toContain(`${count} problems found.`);
	}, 60_000);

	it('exits 0 with warnings, each with file and line, for item-writing flaws', () => {
		const run = check('tests/fixtures/item-checks/flawed');
		expect(run.status).toBe(0);
		expect(run.stderr).not.toContain('problem');
		expect(run.stdout).toContain(
			`warning: ${path.join('tests', 'fixtures', 'item-checks', 'flawed', '03-wording', 'quiz.yaml')}:16: [all-or-none-option] none-option:`
		);
		expect(run.stdout.match(/^ {2}warning: /gm)).toHaveLength(10);
	}, 60_000);

	it("prints each quiz's expected score under every test-wise strategy with --strategies", () => {
		const run = spawnSync(
			'npx',
			['tsx', 'scripts/courses-check.ts', '--strategies', 'tests/fixtures/item-checks/flawed'],
			{ cwd: repoRoot, encoding: 'utf8', timeout: 60_000 }
		);
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(
			/length-quiz \(.*quiz\.yaml\): pass mark 80%, averaged over 1000 seeded arrangements/
		);
		// length-quiz: 3 of 4 keys are the longest option, shuffled or not.
		expect(run.stdout).toMatch(/longest option\s+75\.0%/);
		for (const label of [
			'shortest option',
			'first shown',
			'last shown',
			'random',
			'true/false always True'
		])
			expect(run.stdout).toContain(label);
	}, 60_000);

	it('exits 0 for the valid fixture course', () => {
		const run = check('tests/fixtures/courses/fixture-course');
		expect(run.stdout).toContain('✓ fixture-course: 2 modules, 3 lessons, 3 quizzes');
		expect(run.stderr).not.toContain('problem');
		expect(run.status).toBe(0);
	}, 60_000);
});
