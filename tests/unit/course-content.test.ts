// The real course, courses/hip-flexor-pain: its shape, its completeness rules, and content
// checks that the review in CONTENT.md asks for (own words, no machine-translation artefacts,
// no banned claims, working links, red flags pointing to a qualified health professional).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { examUrl, quizUrl } from '../../src/lib/routes';
import type { Question, Quiz } from '../../src/lib/quiz/types';
import { authoringHints } from '../../src/lib/server/content/authoring-hints';
import { scoreQuestion } from '../../src/lib/quiz/scoring';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const courseDir = path.join(repoRoot, 'courses', 'hip-flexor-pain');
// CI checks the repository out beside the shared folder that holds the source articles.
const seedsDir = path.resolve(repoRoot, '..', 'shared', 'seeds');

const loaded = loadCourse(courseDir);
if (!loaded.course)
	throw new Error(
		`courses/hip-flexor-pain did not load:\n${loaded.problems.map(formatProblem).join('\n')}`
	);
const course: Course = loaded.course;

/** Every file of the course, recursively, as [path relative to the course, text]. */
function courseFiles(): [string, string][] {
	const out: [string, string][] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else out.push([path.relative(courseDir, full), fs.readFileSync(full, 'utf8')]);
		}
	};
	walk(courseDir);
	return out;
}

const allQuizzes = (): Quiz[] => [
	...course.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])),
	...(course.finalExam ? [course.finalExam] : [])
];

const lessonBody = (file: string) =>
	fs
		.readFileSync(path.join(path.dirname(courseDir), file), 'utf8')
		.replace(/^---[\s\S]*?\n---/, '');

describe('the hip flexor course loads and has the planned shape', () => {
	it('loads with no problems', () => {
		expect(loaded.problems).toEqual([]);
		expect(course.id).toBe('hip-flexor-pain');
	});

	it('has 5 modules, each with 3–4 lessons and a quiz of 6–8 questions', () => {
		expect(course.modules.map((m) => m.id)).toHaveLength(5);
		for (const m of course.modules) {
			expect(m.lessons.length, `lessons in module ${m.id}`).toBeGreaterThanOrEqual(3);
			expect(m.lessons.length, `lessons in module ${m.id}`).toBeLessThanOrEqual(4);
			expect(m.quiz, `quiz of module ${m.id}`).toBeDefined();
			expect(m.quiz!.questions.length, `questions in ${m.id}`).toBeGreaterThanOrEqual(6);
			expect(m.quiz!.questions.length, `questions in ${m.id}`).toBeLessThanOrEqual(8);
		}
	});

	it('has a 20-question final exam with ordering, matching and numeric items, 80% to pass, 25 minutes', () => {
		const exam = course.finalExam;
		expect(exam).toBeDefined();
		expect(exam!.questions).toHaveLength(20);
		const count = (type: Question['type']) => exam!.questions.filter((q) => q.type === type).length;
		expect(count('ordering')).toBeGreaterThanOrEqual(1);
		expect(count('matching')).toBeGreaterThanOrEqual(1);
		expect(count('numeric')).toBeGreaterThanOrEqual(1);
		expect(exam!.settings.passPercent).toBe(80);
		expect(exam!.settings.timeLimitMinutes).toBe(25);
	});

	it('names at least one source in every lesson’s front matter', () => {
		expect(course.lessons.length).toBeGreaterThan(0);
		for (const l of course.lessons) {
			expect(l.sources.length, `sources of ${l.id}`).toBeGreaterThanOrEqual(1);
			for (const s of l.sources) expect(s.trim(), `a source of ${l.id}`).not.toBe('');
		}
	});
});

// Han ideographs, Hiragana, Katakana, Hangul, and CJK/full-width punctuation.
const CJK =
	/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

describe('no machine-translation artefacts', () => {
	it('the CJK pattern catches the artefacts it is meant to catch', () => {
		for (const sample of ['肌肉', 'ひらがな', 'カタカナ', '한국어', 'pain，', 'pain。', 'run：'])
			expect(CJK.test(sample), sample).toBe(true);
		for (const sample of ['psoas — iliacus', '80 °C', 'naïve', '“quoted”', '15–20 min'])
			expect(CJK.test(sample), sample).toBe(false);
	});

	it('no course file contains CJK characters', () => {
		const files = courseFiles();
		expect(files.length).toBeGreaterThan(20);
		const offenders = files.flatMap(([file, text]) =>
			text.split('\n').flatMap((line, i) => (CJK.test(line) ? [`${file}:${i + 1}: ${line}`] : []))
		);
		expect(offenders).toEqual([]);
	});
});

const SHINGLE = 12;
const words = (text: string) =>
	text
		.toLowerCase()
		.replace(/['’]/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.split(/\s+/)
		.filter(Boolean);
const shingles = (text: string): string[] => {
	const w = words(text);
	const out: string[] = [];
	for (let i = 0; i + SHINGLE <= w.length; i++) out.push(w.slice(i, i + SHINGLE).join(' '));
	return out;
};

/** All string values in parsed YAML (prompts, options, feedback, explanations, …). */
const strings = (value: unknown): string[] =>
	typeof value === 'string'
		? [value]
		: Array.isArray(value)
			? value.flatMap(strings)
			: value && typeof value === 'object'
				? Object.values(value).flatMap(strings)
				: [];

// The originality check needs the source articles, which only this project's CI keeps beside
// the repository. Elsewhere (a user's fresh clone) it is skipped and says so; CI sets
// SOURCE_ARTICLES_REQUIRED=1 so that it can never be skipped there.
const seedsPresent = fs.existsSync(seedsDir);
const seedsRequired = process.env.SOURCE_ARTICLES_REQUIRED === '1';
if (!seedsPresent && !seedsRequired)
	console.warn(
		`Skipping the originality check: the source articles are not at ${seedsDir} ` +
			'(only the project CI has them; set SOURCE_ARTICLES_REQUIRED=1 to make this an error).'
	);

describe.skipIf(!seedsPresent && !seedsRequired)('written in the course’s own words', () => {
	it('finds the source articles (CI keeps them at ../shared/seeds)', () => {
		expect(
			fs.existsSync(seedsDir),
			`The source articles are missing: expected a folder at ${seedsDir}. ` +
				'The verbatim-copy check cannot run without them.'
		).toBe(true);
		const seeds = fs.readdirSync(seedsDir).filter((f) => f.endsWith('.txt'));
		expect(seeds.length, `No *.txt source articles in ${seedsDir}`).toBeGreaterThan(0);
	});

	it('shares no run of 12 identical words with any source article', () => {
		expect(fs.existsSync(seedsDir), `The source articles are missing at ${seedsDir}`).toBe(true);
		const seedFiles = fs.readdirSync(seedsDir).filter((f) => f.endsWith('.txt'));
		expect(seedFiles.length).toBeGreaterThan(0);
		const seedShingles = new Map<string, string>();
		for (const f of seedFiles)
			for (const s of shingles(fs.readFileSync(path.join(seedsDir, f), 'utf8')))
				seedShingles.set(s, f);
		expect(seedShingles.size).toBeGreaterThan(1000);

		// The check itself works: a sentence lifted from a seed is caught.
		const seedText = fs.readFileSync(path.join(seedsDir, seedFiles[0]!), 'utf8');
		const lifted = words(seedText)
			.slice(20, 20 + SHINGLE + 3)
			.join(' ');
		expect(shingles(`Some words of our own. ${lifted}.`).some((s) => seedShingles.has(s))).toBe(
			true
		);

		const texts: [string, string][] = [
			...course.lessons.map((l): [string, string] => [l.file, lessonBody(l.file)]),
			...courseFiles()
				.filter(([f]) => f.endsWith('.yaml'))
				.flatMap(([f, text]) => strings(parse(text)).map((s): [string, string] => [f, s]))
		];
		expect(texts.length).toBeGreaterThan(100);
		const copies = texts.flatMap(([file, text]) =>
			shingles(text)
				.filter((s) => seedShingles.has(s))
				.map((s) => `${file}: "${s}" (from ${seedShingles.get(s)})`)
		);
		expect(copies).toEqual([]);
	});
});

describe('links', () => {
	it('the loader reports no broken link or image', () => {
		expect(loaded.problems.filter((p) => /link|image/i.test(p.message))).toEqual([]);
	});

	it('every internal link in the compiled lessons points to a lesson, quiz, exam (and anchor) or a course file', () => {
		const lessonsByUrl = new Map(course.lessons.map((l) => [l.url, l]));
		const targets = new Set<string>([
			...lessonsByUrl.keys(),
			...course.modules.filter((m) => m.quiz).map((m) => quizUrl(course.id, m.id)),
			...(course.finalExam ? [examUrl(course.id)] : [])
		]);
		let links = 0;
		const broken: string[] = [];
		for (const l of course.lessons) {
			for (const [, href] of l.html.matchAll(/href="(\/courses\/[^"]*)"/g)) {
				links++;
				const [url, anchor] = href!.split('#');
				// A diagram links to its own file so a phone can open it full size.
				const media = /^\/courses\/hip-flexor-pain\/media\/(.+)$/.exec(url!)?.[1];
				if (media) {
					if (!fs.existsSync(path.join(courseDir, media))) broken.push(`${l.file}: ${href}`);
				} else if (!targets.has(url!)) broken.push(`${l.file}: ${href}`);
				else if (anchor && !lessonsByUrl.get(url!)?.html.includes(`id="${anchor}"`))
					broken.push(`${l.file}: ${href} (no such heading)`);
			}
			// No link to a lesson file survives compilation.
			for (const [, href] of l.html.matchAll(/href="([^"]*\.md(?:#[^"]*)?)"/g))
				broken.push(`${l.file}: ${href} (not rewritten)`);
		}
		expect(links).toBeGreaterThan(10);
		expect(broken).toEqual([]);
	});

	it('every image in the compiled lessons is a file in the course with alt text', () => {
		const missing: string[] = [];
		let images = 0;
		for (const l of course.lessons) {
			for (const [tag] of l.html.matchAll(/<img [^>]*>/g)) {
				images++;
				const src = /src="\/courses\/hip-flexor-pain\/media\/([^"]+)"/.exec(tag)?.[1];
				const alt = /alt="([^"]*)"/.exec(tag)?.[1];
				if (!src || !fs.existsSync(path.join(courseDir, src))) missing.push(`${l.file}: ${tag}`);
				if (!alt?.trim()) missing.push(`${l.file}: no alt text in ${tag}`);
			}
		}
		expect(images).toBeGreaterThan(0);
		expect(missing).toEqual([]);
	});
});

describe('no banned claims', () => {
	it('never teaches the "100 degree" sitting angle, "nerve flow" or "rapidly eliminate pain"', () => {
		const banned = [/100\s*-?\s*(degree|°)/i, /nerve flow/i, /rapidly eliminate/i];
		const offenders = courseFiles().flatMap(([file, text]) =>
			banned.filter((re) => re.test(text.replace(/\s+/g, ' '))).map((re) => `${file}: ${re}`)
		);
		expect(offenders).toEqual([]);
	});

	it('no question key presents squats as a psoas or hip-flexor strengthener', () => {
		const squat = /squat/i;
		const flexor = /psoas|hip[- ]?flexor|iliopsoas/i;
		const offenders: string[] = [];
		for (const quiz of allQuizzes()) {
			for (const q of quiz.questions) {
				const where = `${quiz.id}/${q.id}`;
				if (q.type === 'single' || q.type === 'multiple') {
					for (const o of q.options)
						if (o.correct && squat.test(o.text)) offenders.push(`${where}: key "${o.text}"`);
				} else if (q.type === 'text') {
					for (const a of q.accept) if (squat.test(a)) offenders.push(`${where}: accepts "${a}"`);
				} else if (q.type === 'matching') {
					for (const pair of q.pairs)
						if (
							(squat.test(pair.left) && flexor.test(pair.right)) ||
							(squat.test(pair.right) && flexor.test(pair.left))
						)
							offenders.push(`${where}: pairs "${pair.left}" with "${pair.right}"`);
				} else if (q.type === 'truefalse') {
					// "Squats strengthen the psoas: true" would teach the claim.
					if (
						q.answer &&
						squat.test(q.prompt) &&
						flexor.test(q.prompt) &&
						/strength/i.test(q.prompt) &&
						!/\bnot\b|n't/i.test(q.prompt)
					)
						offenders.push(`${where}: true "${q.prompt}"`);
				}
			}
		}
		expect(offenders).toEqual([]);
	});

	it('the strengthening question keys a real hip-flexor exercise (leg raises)', () => {
		// Sanity for the check above: the course does ask which exercise strengthens the psoas.
		const keyed = allQuizzes()
			.flatMap((quiz) => quiz.questions)
			.flatMap((q) =>
				q.type === 'single' || q.type === 'multiple'
					? q.options.filter((o) => o.correct).map((o) => o.text)
					: []
			);
		expect(keyed.some((t) => /leg raise/i.test(t))).toBe(true);
	});
});

describe('seeking care', () => {
	const symptoms = course.modules.find((m) => m.id === 'symptoms');

	it('the red-flags lesson in module 03-symptoms sends the learner to a qualified health professional', () => {
		const redFlags = symptoms?.lessons.find((l) => l.id === 'red-flags');
		expect(redFlags?.file).toBe(path.join('hip-flexor-pain', '03-symptoms', '04-red-flags.md'));
		expect(lessonBody(redFlags!.file).replace(/\s+/g, ' ')).toContain(
			'qualified health professional'
		);
	});

	it('every lesson of the symptoms module mentions a qualified health professional', () => {
		expect(symptoms?.lessons.length).toBeGreaterThanOrEqual(3);
		const missing = symptoms!.lessons
			.filter(
				(l) => !lessonBody(l.file).replace(/\s+/g, ' ').includes('qualified health professional')
			)
			.map((l) => l.id);
		expect(missing).toEqual([]);
	});
});

// The second edition's review (issue #12): what a learner sees at the end of every lesson, and
// assessment that tests judgement rather than recall.
const SCENARIO = 'scenario';
const isScenario = (q: Question) => (q.tags ?? []).includes(SCENARIO);
const choiceQuestions = (quiz: Quiz) =>
	quiz.questions.filter(
		(q): q is Extract<Question, { type: 'single' | 'multiple' }> =>
			q.type === 'single' || q.type === 'multiple'
	);

/** The lines of a lesson's Markdown section with this h2 title, up to the next h2. */
function section(body: string, title: string): string[] | null {
	const lines = body.split('\n');
	const start = lines.findIndex((l) => l.trim() === `## ${title}`);
	if (start < 0) return null;
	const rest = lines.slice(start + 1);
	const end = rest.findIndex((l) => l.startsWith('## '));
	return end < 0 ? rest : rest.slice(0, end);
}

describe('every lesson ends with key points and sources the learner can see', () => {
	it('has a "Key points" section of 3–5 bullets', () => {
		const problems: string[] = [];
		for (const l of course.lessons) {
			const lines = section(lessonBody(l.file), 'Key points');
			if (!lines) problems.push(`${l.id}: no "## Key points"`);
			else {
				const bullets = lines.filter((line) => /^- \S/.test(line)).length;
				if (bullets < 3 || bullets > 5) problems.push(`${l.id}: ${bullets} key points`);
			}
		}
		expect(problems).toEqual([]);
	});

	it('ends with a "Sources" list whose every entry has a year and a link', () => {
		const problems: string[] = [];
		for (const l of course.lessons) {
			const body = lessonBody(l.file);
			const lines = section(body, 'Sources');
			if (!lines) {
				problems.push(`${l.id}: no "## Sources"`);
				continue;
			}
			const last = body
				.trimEnd()
				.split('\n')
				.filter((line) => line.startsWith('## '))
				.pop();
			if (last !== '## Sources') problems.push(`${l.id}: "Sources" is not the last section`);
			const entries = lines.filter((line) => line.startsWith('- '));
			if (entries.length === 0) problems.push(`${l.id}: empty Sources list`);
			for (const entry of entries) {
				if (!/\]\(https:\/\/[^)\s]+\)/.test(entry)) problems.push(`${l.id}: no link in "${entry}"`);
				if (!/\((?:19|20)\d\d\)|accessed 20\d\d/.test(entry))
					problems.push(`${l.id}: no year in "${entry}"`);
			}
		}
		expect(problems).toEqual([]);
	});

	it('the compiled Sources links are real links in the page', () => {
		for (const l of course.lessons) {
			const after = l.html.slice(l.html.indexOf('id="sources"'));
			expect(after, l.id).toMatch(/<a href="https:\/\//);
		}
	});

	it('no lesson or quiz refers the learner to "the sources"', () => {
		const offenders = courseFiles()
			.filter(([f]) => f.endsWith('.md') || f.endsWith('.yaml'))
			.flatMap(([file, text]) =>
				text
					.replace(/^---[\s\S]*?\n---/, '')
					.split('\n')
					.flatMap((line, i) =>
						/\bthe sources\b/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []
					)
			);
		expect(offenders).toEqual([]);
	});
});

describe('safety content of module 3', () => {
	const body = (id: string) => {
		const lesson = course.lessons.find((l) => l.id === id);
		expect(lesson, id).toBeDefined();
		return lessonBody(lesson!.file).replace(/\s+/g, ' ');
	};

	it('the red-flags lesson tiers the warning signs and names psoas abscess and cauda equina', () => {
		const text = body('red-flags');
		for (const phrase of [
			'## Tier 1: emergency now',
			'## Tier 2: the same day',
			'## Tier 3: within a few days',
			'## Tier 4: routine',
			'999',
			'112',
			'psoas abscess',
			'cauda equina',
			'numbness when you wipe',
			'problems with sex',
			'both legs',
			'testicular torsion',
			'strangulated hernia',
			'history of cancer',
			'keep weight off the leg'
		])
			expect(text, phrase).toContain(phrase);
		expect(text).toContain('(triage-flow-chart.svg)');
	});

	// The third edition's review (issue #25): one sign of a strangulated hernia is an emergency,
	// and new night or rest pain in a runner's groin is a suspected femoral-neck stress injury,
	// seen the same day, in the lesson, the flow chart and the final exam's key alike.
	const tiers = () => {
		const lines = lessonBody(course.lessons.find((l) => l.id === 'red-flags')!.file).split('\n');
		const tier = (n: number) => (section(lines.join('\n'), heading(lines, n)) ?? []).join(' ');
		const heading = (all: string[], n: number) =>
			all.find((l) => l.startsWith(`## Tier ${n}:`))!.slice(3);
		return [1, 2, 3, 4].map(tier);
	};

	it('any one sign of a strangulated hernia, torsion, both legs or cauda equina is tier 1', () => {
		const [emergency] = tiers();
		for (const sign of [
			/lump in the groin\*\* that has become \*\*painful, firm or tender\*\*, or \*\*won't push back in\*\*, or that comes with \*\*vomiting\*\* or with \*\*not being able to pass stool or wind/,
			/pain in a testicle/,
			/\*\*both legs\*\*/,
			/numbness when you wipe/,
			/new problems with sex/,
			/saddle area/
		])
			expect(emergency, String(sign)).toMatch(sign);
		expect(emergency).toMatch(/any one of these/);
	});

	it('night or rest pain is same-day everywhere, never "within days"', () => {
		const [, sameDay, withinDays, routine] = tiers();
		expect(sameDay).toMatch(/new pain at night or at rest/);
		expect(sameDay).toMatch(/suspected femoral-neck stress injury/);
		expect(withinDays).not.toMatch(/night/);
		expect(routine).not.toMatch(/night/);
		for (const id of ['look-alikes', 'higher-risk-runners'])
			expect(body(id), id).toMatch(/same day/);
		expect(body('higher-risk-runners')).not.toMatch(/within (a few )?days/);
		// The flow chart puts night pain under SAME DAY, and the groin lump's emergency signs first.
		const chart = fs.readFileSync(
			path.join(courseDir, '03-symptoms', 'triage-flow-chart.svg'),
			'utf8'
		);
		const texts = [...chart.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
		const at = (t: string) => texts.findIndex((x) => x.includes(t));
		expect(at('EMERGENCY NOW')).toBeGreaterThan(-1);
		expect(at('new pain at night or at rest')).toBeGreaterThan(at('EMERGENCY NOW'));
		expect(at('new pain at night or at rest')).toBeLessThan(at('SAME DAY'));
		expect(at('a groin lump that is painful,')).toBeLessThan(at('EMERGENCY NOW'));
		expect(at('Call 999 or 112,')).toBeGreaterThan(-1);
		// The final exam's triage item keys night pain to the same day.
		const triage = course.finalExam!.questions.find(
			(q) => q.type === 'matching' && q.lesson === 'red-flags'
		);
		const night =
			triage?.type === 'matching' ? triage.pairs.find((p) => /night/.test(p.left)) : undefined;
		expect(night?.right).toMatch(/same day/i);
	});

	it('says which back pain is a warning, and the recognising lesson agrees', () => {
		const warning = section(
			lessonBody(course.lessons.find((l) => l.id === 'red-flags')!.file),
			'Which back pain is a warning?'
		)!.join(' ');
		for (const sign of ['night', 'fever', 'weight loss', 'history of cancer'])
			expect(warning, sign).toContain(sign);
		const recognising = body('recognising-the-pain');
		expect(recognising).toMatch(/lower back along with the hip pain fits the usual picture/);
		expect(recognising).toMatch(
			/back pain that comes with night pain, fever, unexplained weight loss or a history of cancer/
		);
	});

	it('names the likely diagnoses and the look-alikes', () => {
		const text = body('look-alikes').toLowerCase();
		for (const name of [
			'iliopsoas',
			'snapping hip',
			'adductor',
			'pubic-related',
			'fai',
			'labral',
			'osteoarthritis',
			'pubic-ramus stress fracture',
			'femoral-neck stress fracture'
		])
			expect(text, name).toContain(name);
	});

	it('covers the runners at higher risk: bone stress risk groups and adolescents', () => {
		const text = body('higher-risk-runners').toLowerCase();
		for (const phrase of [
			'female runners',
			'(reds)',
			'menstrual',
			'previous stress fracture',
			'adolescent runners',
			'bmi) under 19',
			'first period came at 15 or later',
			'avulsion',
			'slipped capital femoral epiphysis',
			'roughly 8 to 15 years old',
			'limp'
		])
			expect(text, phrase).toContain(phrase);
		// "Older runners" had no source behind it; the IOC statement's term is REDs.
		expect(text).not.toContain('older runners');
		expect(
			courseFiles()
				.filter(([, t]) => /RED-S/.test(t))
				.map(([f]) => f)
		).toEqual([]);
	});

	it('NSAIDs: none with asthma they worsened, in pregnancy, or before or during long runs', () => {
		const text = body('first-steps');
		expect(text).toContain('Non-steroidal anti-inflammatory drugs (NSAIDs)');
		expect(text).toMatch(
			/\*\*Don't take them\*\* if your asthma has ever been made worse by ibuprofen, aspirin or another NSAID, or if you are pregnant/
		);
		expect(text).toMatch(/\*\*Don't take them before or during a long run or a race\.\*\*/);
		expect(text).toContain('acute kidney injury');
	});

	it('no stretching of a fresh strain for the first 1–3 days; weak evidence said so', () => {
		expect(body('stretching-and-massage')).toMatch(
			/don't stretch that muscle for the first 1–3 days/
		);
		const medical = body('medical-options');
		expect(medical).toMatch(
			/Muscle relaxants\*\*, which need a prescription\. The evidence that they help this kind of pain is weak/
		);
		expect(medical).toMatch(
			/Trigger-point injections\*\*, into tender, tight spots in a muscle\. The evidence for these is weak/
		);
	});
});

describe('assessment tests judgement', () => {
	it('at least a third of every quiz is scenario items (tagged "scenario")', () => {
		for (const quiz of allQuizzes()) {
			const scenarios = quiz.questions.filter(isScenario).length;
			expect(
				scenarios * 3,
				`${quiz.id}: ${scenarios} of ${quiz.questions.length}`
			).toBeGreaterThanOrEqual(quiz.questions.length);
		}
	});

	it('no quiz lists the correct option first in every choice question', () => {
		expect(authoringHints(course).filter((h) => h.check === 'key-position')).toEqual([]);
		for (const quiz of allQuizzes()) {
			const firsts = choiceQuestions(quiz).filter((q) => q.options[0]!.correct).length;
			expect(firsts, quiz.id).toBeLessThan(choiceQuestions(quiz).length);
		}
	});

	it('no multiple-response item keys more than half of its options', () => {
		for (const quiz of allQuizzes())
			for (const q of choiceQuestions(quiz).filter((q) => q.type === 'multiple')) {
				const keyed = q.options.filter((o) => o.correct).length;
				expect(keyed * 2, `${quiz.id}/${q.id}`).toBeLessThanOrEqual(q.options.length);
			}
	});

	it('feedback explains why instead of saying what the course does not teach', () => {
		const offenders: string[] = [];
		for (const quiz of allQuizzes())
			for (const q of quiz.questions) {
				const texts = [
					q.explanation,
					...('feedback' in q && q.feedback ? [q.feedback] : []),
					...('options' in q ? q.options.flatMap((o) => (o.feedback ? [o.feedback] : [])) : [])
				];
				for (const t of texts)
					if (/(does not|doesn't|never) (teach|suggest|say)|nothing in the course/i.test(t))
						offenders.push(`${quiz.id}/${q.id}: ${t}`);
			}
		expect(offenders).toEqual([]);
	});

	it('asks about cadence once per quiz, and has a posture item', () => {
		const all = allQuizzes().flatMap((quiz) => quiz.questions.map((q) => ({ quiz, q })));
		for (const quiz of allQuizzes())
			expect(
				quiz.questions.filter((q) => /cadence|steps per minute/i.test(q.prompt)).length,
				quiz.id
			).toBeLessThanOrEqual(1);
		expect(all.some(({ q }) => /posture|hunch/i.test(q.prompt))).toBe(true);
	});

	it('the glute question accepts the common ways of naming the glutes', () => {
		const q = allQuizzes()
			.flatMap((quiz) => quiz.questions)
			.find((q) => q.id === 'sitting-glutes');
		expect(q?.type).toBe('text');
		const accepted = q!.type === 'text' ? q!.accept : [];
		for (const answer of [
			'glutes',
			'glute muscles',
			'gluteus maximus',
			'gluteal muscles',
			'buttocks'
		])
			expect(scoreQuestion(q!, answer).correct, answer).toBe(true);
		expect(accepted.length).toBeGreaterThan(5);
	});

	it('the final exam covers every lesson and has a triage matching item', () => {
		const exam = course.finalExam!;
		const covered = new Set(exam.questions.map((q) => q.lesson));
		expect(course.lessons.map((l) => l.id).filter((id) => !covered.has(id))).toEqual([]);
		const triage = exam.questions.find((q) => q.type === 'matching' && q.lesson === 'red-flags');
		expect(triage, 'a matching item on the red-flags lesson').toBeDefined();
		expect(
			exam.questions.some(
				(q) => q.lesson === 'medical-options' && /operation|surgery/i.test(q.prompt)
			)
		).toBe(true);
	});

	it('the final exam has no near-copy of a module-quiz item', () => {
		const moduleItems = course.modules.flatMap((m) => m.quiz?.questions ?? []);
		const RUN = 8;
		const runs = (text: string) => {
			const w = words(text);
			return new Set(
				w.map((_, i) => w.slice(i, i + RUN).join(' ')).filter((_, i) => i + RUN <= w.length)
			);
		};
		const copies: string[] = [];
		for (const q of course.finalExam!.questions) {
			const mine = runs(q.prompt);
			for (const m of moduleItems) {
				if (m.prompt.trim().toLowerCase() === q.prompt.trim().toLowerCase())
					copies.push(`${q.id} = ${m.id}`);
				else if ([...runs(m.prompt)].some((r) => mine.has(r))) copies.push(`${q.id} ~ ${m.id}`);
			}
		}
		expect(copies).toEqual([]);
	});
});
