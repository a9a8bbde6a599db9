// The item-writing checks of courses:check, on the fixture course tests/fixtures/item-checks/flawed
// (one quiz per kind of flaw, each with an item that silences its check with a reason), and on
// items built here where an edge needs it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionSchema, type QuestionFile } from '../../src/lib/content/schema';
import { authoringHints } from '../../src/lib/server/content/authoring-hints';
import {
	allOrNoneOption,
	checkItems,
	keyIsLongest,
	keyPosition,
	keyRepeatsStem,
	longestKey,
	nearDuplicates,
	NEAR_DUPLICATE_THRESHOLD,
	scenarioWithoutSituation,
	situationOf,
	trueFalseQualifiers,
	type CheckItem
} from '../../src/lib/server/content/item-checks';
import { contentStems, jaccard, stem } from '../../src/lib/server/content/item-words';
import { loadCourse } from '../../src/lib/server/content/load';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const fixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'item-checks', 'flawed');
const loaded = loadCourse(fixtureDir);

/** Each warning as "check question file:line", the file relative to the fixture course. */
const found = () =>
	authoringHints(loaded.course!).map(
		(h) => `${h.check} ${h.message.split(':')[0]} ${path.relative(fixtureDir, h.file)}:${h.line}`
	);

describe('the flawed fixture course', () => {
	it('loads, and warns exactly once per planted flaw, at the item or option line', () => {
		expect(loaded.problems).toEqual([]);
		expect(found().sort()).toEqual(
			[
				'longest-key long-a 01-length/quiz.yaml:6',
				'longest-key long-b 01-length/quiz.yaml:21',
				'key-position second-a 02-position/quiz.yaml:4',
				'all-or-none-option none-option 03-wording/quiz.yaml:16',
				'key-repeats-stem echo 03-wording/quiz.yaml:46',
				'absolute-word always-false 03-wording/quiz.yaml:52',
				'hedge-word hedge-true 03-wording/quiz.yaml:59',
				'near-duplicate echo 03-wording/quiz.yaml:37',
				'scenario-without-situation no-situation 04-scenarios/quiz.yaml:20',
				'scenario-without-situation too-short 04-scenarios/quiz.yaml:36'
			].sort()
		);
	});
});

// Items built in code: a question parsed by the real schema, in a quiz of its own unless told.
let counter = 0;
function item(q: Record<string, unknown>, quiz = 'quiz', shuffleOptions = false): CheckItem {
	const question: QuestionFile = questionSchema.parse({
		id: `q${++counter}`,
		lesson: 'lesson',
		explanation: 'Because.',
		prompt: 'Which one?',
		...q
	});
	return { question, quiz: { id: quiz, shuffleOptions }, file: `${quiz}.yaml`, line: counter };
}
const single = (texts: string[], keyAt: number, extra: Record<string, unknown> = {}) => ({
	type: 'single',
	options: texts.map((text, i) => ({
		id: `o${i}`,
		text,
		...(i === keyAt ? { correct: true } : { feedback: 'No.' })
	})),
	...extra
});
const tf = (prompt: string, answer: boolean, extra: Record<string, unknown> = {}) => ({
	type: 'truefalse',
	prompt,
	answer,
	feedback: 'See the lesson.',
	...extra
});

describe('longest-key', () => {
	it('counts a key as longest only when strictly longer than every distractor', () => {
		expect(keyIsLongest(item(single(['A longer key', 'Short'], 0)).question)).toBe(true);
		expect(keyIsLongest(item(single(['Same', 'Tied'], 0)).question)).toBe(false);
	});

	it('warns on each longest key once they pass a third of the single-choice items, not at a third', () => {
		const quiz = [
			item(single(['The long correct answer', 'b', 'c'], 0), 'third'),
			item(single(['a', 'The long wrong answer', 'Right'], 2), 'third'),
			item(single(['a', 'The long wrong answer', 'Right'], 2), 'third')
		];
		expect(longestKey(quiz)).toEqual([]);
		const more = [...quiz.slice(0, 2), item(single(['Another long key', 'b'], 0), 'third')];
		expect(longestKey(more).map((w) => w.questionId)).toEqual([
			more[0]!.question.id,
			more[2]!.question.id
		]);
	});

	it('says nothing below three single-choice items', () => {
		const two = [
			item(single(['The long correct answer', 'b'], 0), 'two'),
			item(single(['The long correct answer', 'b'], 0), 'two')
		];
		expect(longestKey(two)).toEqual([]);
	});

	it('leaves an allowed item out of the count (the fixture: 3 counted, 2 longest, the allowed one silent)', () => {
		const warned = found().filter((w) => w.startsWith('longest-key'));
		expect(warned.join('\n')).not.toContain('long-allowed');
		expect(authoringHints(loaded.course!).find((h) => h.check === 'longest-key')!.message).toMatch(
			/as in 2 of 3 single-choice items of "length-quiz" \(at most 1 may be\)/
		);
	});
});

describe('key-position', () => {
	it('warns when every key is last, even with different option counts, and names the shuffle', () => {
		const items = [
			item(single(['a', 'b', 'key'], 2), 'last', true),
			item(single(['a', 'b', 'c', 'key'], 3), 'last', true)
		];
		const [w] = keyPosition(items);
		expect(w!.message).toMatch(/correct option is last/);
		expect(w!.message).toMatch(/shuffled for learners, but the file order shows in exports/);
	});

	it('is quiet when positions vary, and an allowed item is left out', () => {
		const varied = [item(single(['key', 'b'], 0), 'v'), item(single(['a', 'key'], 1), 'v')];
		expect(keyPosition(varied)).toEqual([]);
		const allowed = [
			item(single(['key', 'b'], 0), 'a'),
			item(single(['key', 'b'], 0), 'a'),
			item(single(['a', 'key'], 1, { allow: { 'key-position': 'A pinned-order item.' } }), 'a')
		];
		expect(keyPosition(allowed)).toHaveLength(1);
	});
});

describe('all-or-none-option', () => {
	it('finds "all of the above", "none of these", "both of these"; the fixture silences one with a reason', () => {
		for (const text of ['All of the above', 'None of these', 'both of these', 'Neither of them'])
			expect(allOrNoneOption([item(single(['Real', text], 0))]), text).toHaveLength(1);
		expect(allOrNoneOption([item(single(['Real', 'None at all'], 0))])).toEqual([]);
		expect(found().join('\n')).not.toContain('all-allowed');
	});
});

describe('key-repeats-stem', () => {
	it('flags a stem word echoed only by the key, matching inflections', () => {
		const [w] = keyRepeatsStem([
			item(
				single(['It scorches them', 'Brewing sweetens them'], 0, {
					prompt: 'What does scorching water do?'
				})
			)
		]);
		expect(w!.message).toMatch(/"scorches"/);
	});

	it('is quiet when a distractor shares the word, or the word is a stop word', () => {
		expect(
			keyRepeatsStem([
				item(
					single(['It scorches them', 'It scorched nothing'], 0, {
						prompt: 'What does scorching water do?'
					})
				)
			])
		).toEqual([]);
		expect(
			keyRepeatsStem([item(single(['Which of them', 'Nothing'], 0, { prompt: 'Which of these?' }))])
		).toEqual([]);
	});

	it('flags a matching item and its answer that share a word no other answer has', () => {
		const [w] = keyRepeatsStem([
			item({
				type: 'matching',
				prompt: 'Match them.',
				feedback: 'See the lesson.',
				pairs: [
					{ id: 'a', left: 'Side-lying raise', right: 'The outer side of the hip' },
					{ id: 'b', left: 'Bridge', right: 'The back of the hip' }
				]
			})
		]);
		expect(w!.message).toMatch(/share "side"/);
	});
});

describe('absolute-word and hedge-word', () => {
	it('flags absolute words in any true/false statement, hedges only in true ones', () => {
		expect(trueFalseQualifiers([item(tf('Tea is never brewed with milk.', false))])[0]!.check).toBe(
			'absolute-word'
		);
		expect(
			trueFalseQualifiers([item(tf('True or false: only black tea has caffeine.', true))])[0]!.check
		).toBe('absolute-word');
		expect(trueFalseQualifiers([item(tf('Tea may stain cups.', true))])[0]!.check).toBe(
			'hedge-word'
		);
		expect(
			trueFalseQualifiers([item(tf('Tea may replace water entirely.', false))]).map((w) => w.check)
		).toEqual(['absolute-word']);
		expect(trueFalseQualifiers([item(tf('Tea is brewed in a pot.', true))])).toEqual([]);
		// "True or false:" is the lead-in, not a claim.
		expect(
			trueFalseQualifiers([item(tf('True or false: tea is brewed in a pot.', false))])
		).toEqual([]);
	});

	it('the fixture silences "never" with a reason', () => {
		expect(found().join('\n')).not.toContain('never-allowed');
	});
});

describe('near-duplicate', () => {
	it(`warns at a stem-and-key Jaccard index of ${NEAR_DUPLICATE_THRESHOLD} or more, across quizzes`, () => {
		const a = item(
			single(['About four minutes', 'Ten'], 0, { prompt: 'How long does black tea steep?' }),
			'one'
		);
		const b = item(
			single(['Ten', 'About four minutes'], 1, { prompt: 'How long should black tea steep?' }),
			'two'
		);
		const c = item(single(['Fresh', 'Stale'], 0, { prompt: 'Which water makes good tea?' }), 'two');
		const warnings = nearDuplicates([a, b, c]);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]!.related).toEqual({
			questionId: b.question.id,
			file: 'two.yaml',
			line: b.line
		});
	});

	it('computes the index over content stems', () => {
		expect(jaccard(contentStems('The pots are warm'), contentStems('a warm pot'))).toBe(1);
		expect(jaccard(contentStems('warm pot'), contentStems('cold cup'))).toBe(0);
		expect(stem('striding')).toBe(stem('strides'));
		expect(stem('running')).toBe('run');
	});

	it('is silenced for a pair by either item (the fixture repeats hard-water on purpose)', () => {
		expect(found().join('\n')).not.toContain('hard-water');
		expect(found().join('\n')).toContain('near-duplicate echo');
	});
});

describe('scenario-without-situation', () => {
	const scenario = (prompt: string, extra: Record<string, unknown> = {}) =>
		item(single(['Key', 'Other'], 0, { prompt, tags: ['scenario'], ...extra }));

	it('accepts a situation with someone in it and something observed', () => {
		expect(
			scenarioWithoutSituation([
				scenario(
					'A guest says the tea tastes bitter after it sat for ten minutes. What went wrong?'
				),
				scenario('In the café, Sam pours a cup and notices a film on the top. Why?'),
				scenario('The morning after a long walk, both calves feel stiff and sore. What fits best?')
			])
		).toEqual([]);
	});

	it('flags a stem that only says who wants what, or is too short', () => {
		const [wants] = scenarioWithoutSituation([
			scenario('A friend wants to make tea for the whole family. Which leaves are black tea?')
		]);
		expect(wants!.message).toMatch(/nothing happens or is observed/);
		const [short] = scenarioWithoutSituation([scenario('You pour. Why rinse?')]);
		expect(short!.message).toMatch(/2 words before the question/);
	});

	it("reads a matching item's left-hand situations too, and ignores untagged items", () => {
		const matching = item({
			type: 'matching',
			tags: ['scenario'],
			prompt: 'Match each situation to what to do.',
			feedback: 'See the lesson.',
			pairs: [
				{ id: 'a', left: 'A guest finds the tea bitter after ten minutes', right: 'Brew shorter' },
				{ id: 'b', left: 'A guest finds the tea weak', right: 'Use more leaves' }
			]
		});
		expect(situationOf(matching.question)).toContain('guest finds');
		expect(scenarioWithoutSituation([matching])).toEqual([]);
		expect(scenarioWithoutSituation([item(single(['a', 'b'], 0, { prompt: 'Why?' }))])).toEqual([]);
	});
});

describe('checkItems', () => {
	it('runs every check over any list of items', () => {
		const items = [
			item(single(['Real', 'None of these'], 0)),
			item(tf('Tea is always hot.', false))
		];
		expect(
			checkItems(items)
				.map((w) => w.check)
				.sort()
		).toEqual(['absolute-word', 'all-or-none-option']);
	});
});
