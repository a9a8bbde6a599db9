import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QuestionFile } from '../../src/lib/content/schema';
import { parseFormAnswer, validateAnswer, type AnswerCheck } from '../../src/lib/quiz/answers';

const base = { lesson: 'lesson', points: 1, prompt: 'Prompt', explanation: 'Why.' };
const option = (id: string, correct = false) => ({ id, text: id, correct, pinned: false });

const single: QuestionFile = {
	...base,
	id: 'single-q',
	type: 'single',
	options: [option('a', true), option('b'), option('c')]
};
const multiple: QuestionFile = {
	...base,
	id: 'multiple-q',
	type: 'multiple',
	scoring: 'partial',
	options: [option('a', true), option('b', true), option('c'), option('d')]
};
const truefalse: QuestionFile = {
	...base,
	id: 'tf-q',
	type: 'truefalse',
	answer: false,
	feedback: 'F'
};
const ordering: QuestionFile = {
	...base,
	id: 'order-q',
	type: 'ordering',
	items: [
		{ id: 'load', text: 'Load' },
		{ id: 'micro', text: 'Micro' },
		{ id: 'pain', text: 'Pain' }
	],
	feedback: 'F'
};
const matching: QuestionFile = {
	...base,
	id: 'match-q',
	type: 'matching',
	pairs: [
		{ id: 'psoas', left: 'Psoas', right: 'Spine' },
		{ id: 'iliacus', left: 'Iliacus', right: 'Pelvis' },
		{ id: 'rectus', left: 'Rectus', right: 'Thigh' }
	],
	feedback: 'F'
};
const numeric: QuestionFile = {
	...base,
	id: 'num-q',
	type: 'numeric',
	answer: 20,
	tolerance: 0,
	feedback: 'F'
};
const text: QuestionFile = {
	...base,
	id: 'text-q',
	type: 'text',
	accept: ['glutes'],
	foldAccents: true,
	feedback: 'F'
};
const all = [single, multiple, truefalse, ordering, matching, numeric, text];

/** The refusal message, failing the test when the answer was accepted. */
function refusal(r: AnswerCheck): string {
	if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.answer)}`);
	return r.message;
}

describe('validateAnswer: unanswered', () => {
	it.each(all.map((q) => [q.type, q] as const))(
		'%s: undefined, null, empty string and [] mean unanswered',
		(_, q) => {
			for (const v of [undefined, null, '', []])
				expect(validateAnswer(q, v)).toEqual({ ok: true, answer: null });
		}
	);
	it('matching: an empty object or only empty choices mean unanswered', () => {
		expect(validateAnswer(matching, {})).toEqual({ ok: true, answer: null });
		expect(validateAnswer(matching, { psoas: '', rectus: '' })).toEqual({ ok: true, answer: null });
	});
	it('text: only spaces means unanswered', () => {
		expect(validateAnswer(text, '   ')).toEqual({ ok: true, answer: null });
	});
});

describe('validateAnswer: single', () => {
	it('accepts an option id', () => {
		expect(validateAnswer(single, 'b')).toEqual({ ok: true, answer: 'b' });
	});
	it('refuses an unknown id and an id from another question', () => {
		expect(refusal(validateAnswer(single, 'z'))).toMatch(/not an option/);
		expect(refusal(validateAnswer(single, 'load'))).toMatch(/not an option/);
	});
	it('refuses arrays, numbers, booleans and objects', () => {
		expect(refusal(validateAnswer(single, ['a']))).toBe('Choose one option.');
		expect(refusal(validateAnswer(single, ['a', 'b']))).toBe('Choose one option.');
		expect(refusal(validateAnswer(single, 1))).toBe('Choose one option.');
		expect(refusal(validateAnswer(single, true))).toBe('Choose one option.');
		expect(refusal(validateAnswer(single, { a: 'a' }))).toBe('Choose one option.');
	});
});

describe('validateAnswer: multiple', () => {
	it('accepts distinct option ids, in any order, even a single one', () => {
		expect(validateAnswer(multiple, ['c', 'a'])).toEqual({ ok: true, answer: ['c', 'a'] });
		expect(validateAnswer(multiple, ['d'])).toEqual({ ok: true, answer: ['d'] });
	});
	it('refuses a string, a number and an object', () => {
		expect(refusal(validateAnswer(multiple, 'a'))).toMatch(/Choose options/);
		expect(refusal(validateAnswer(multiple, 3))).toMatch(/Choose options/);
		expect(refusal(validateAnswer(multiple, { a: true }))).toMatch(/Choose options/);
	});
	it('refuses non-string entries, unknown ids and ids from another question', () => {
		expect(refusal(validateAnswer(multiple, ['a', 1]))).toMatch(/Choose options/);
		expect(refusal(validateAnswer(multiple, ['a', 'zz']))).toMatch(/options chosen is not part/);
		expect(refusal(validateAnswer(multiple, ['psoas']))).toMatch(/not part of this question/);
	});
	it('refuses duplicates', () => {
		expect(refusal(validateAnswer(multiple, ['a', 'a']))).toMatch(/chosen twice/);
	});
	it('refuses more values than there are options, even when each is valid', () => {
		expect(refusal(validateAnswer(multiple, ['a', 'b', 'c', 'd', 'a']))).toMatch(/more choices/);
	});
	it('refuses 10,000 values cheaply, before looking at them', () => {
		let reads = 0;
		const huge = new Proxy(
			Array.from({ length: 10_000 }, () => 'a'),
			{
				get(target, key, receiver) {
					if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
					return Reflect.get(target, key, receiver) as unknown;
				}
			}
		);
		expect(refusal(validateAnswer(multiple, huge))).toMatch(/more choices/);
		expect(reads).toBe(0);
	});
});

describe('validateAnswer: truefalse', () => {
	it('accepts booleans', () => {
		expect(validateAnswer(truefalse, true)).toEqual({ ok: true, answer: true });
		expect(validateAnswer(truefalse, false)).toEqual({ ok: true, answer: false });
	});
	it('refuses strings, numbers and arrays', () => {
		for (const v of ['true', 'false', 0, 1, [true]])
			expect(refusal(validateAnswer(truefalse, v))).toBe('Answer true or false.');
	});
});

describe('validateAnswer: ordering', () => {
	it('accepts a full permutation', () => {
		expect(validateAnswer(ordering, ['pain', 'load', 'micro'])).toEqual({
			ok: true,
			answer: ['pain', 'load', 'micro']
		});
	});
	it('refuses a partial order', () => {
		expect(refusal(validateAnswer(ordering, ['load', 'micro']))).toBe('Put every step in order.');
	});
	it('refuses duplicates, unknown ids, extra values and wrong types', () => {
		expect(refusal(validateAnswer(ordering, ['load', 'load', 'pain']))).toMatch(/twice/);
		expect(refusal(validateAnswer(ordering, ['load', 'micro', 'x']))).toMatch(
			/steps chosen is not part/
		);
		expect(refusal(validateAnswer(ordering, ['a', 'b', 'c']))).toMatch(/steps chosen is not part/);
		expect(refusal(validateAnswer(ordering, ['load', 'micro', 'pain', 'load']))).toMatch(
			/more choices/
		);
		expect(refusal(validateAnswer(ordering, 'load'))).toMatch(/Choose steps/);
		expect(refusal(validateAnswer(ordering, { 0: 'load' }))).toMatch(/Choose steps/);
	});
	it('refuses 10,000 values', () => {
		expect(refusal(validateAnswer(ordering, Array(10_000).fill('load')))).toMatch(/more choices/);
	});
});

describe('validateAnswer: matching', () => {
	it('accepts a full matching and a partial one', () => {
		const full = { psoas: 'psoas', iliacus: 'rectus', rectus: 'iliacus' };
		expect(validateAnswer(matching, full)).toEqual({ ok: true, answer: full });
		expect(validateAnswer(matching, { psoas: 'iliacus' })).toEqual({
			ok: true,
			answer: { psoas: 'iliacus' }
		});
	});
	it('drops the pairs left empty', () => {
		expect(validateAnswer(matching, { psoas: 'psoas', rectus: '' })).toEqual({
			ok: true,
			answer: { psoas: 'psoas' }
		});
	});
	it('refuses unknown keys and unknown or non-string values', () => {
		expect(refusal(validateAnswer(matching, { glute: 'psoas' }))).toMatch(/matched items/);
		expect(refusal(validateAnswer(matching, { psoas: 'glute' }))).toMatch(/chosen matches/);
		expect(refusal(validateAnswer(matching, { psoas: 'a' }))).toMatch(/chosen matches/);
		expect(refusal(validateAnswer(matching, { psoas: 1 }))).toMatch(/chosen matches/);
		expect(refusal(validateAnswer(matching, { psoas: ['psoas'] }))).toMatch(/chosen matches/);
	});
	it('refuses arrays, strings and too many keys', () => {
		expect(refusal(validateAnswer(matching, ['psoas']))).toMatch(/Match each/);
		expect(refusal(validateAnswer(matching, 'psoas'))).toMatch(/Match each/);
		const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'psoas']));
		expect(refusal(validateAnswer(matching, many))).toMatch(/more matches/);
	});
	it('is not fooled by inherited property names', () => {
		expect(refusal(validateAnswer(matching, { constructor: 'psoas' }))).toMatch(/matched items/);
		const parsed: unknown = JSON.parse('{"__proto__": "psoas"}');
		expect(refusal(validateAnswer(matching, parsed))).toMatch(/matched items/);
	});
});

describe('validateAnswer: numeric', () => {
	it('accepts finite numbers, including 0 and negatives', () => {
		for (const v of [0, -3, 12.5, 20])
			expect(validateAnswer(numeric, v)).toEqual({ ok: true, answer: v });
	});
	it('refuses NaN, infinities, numeric strings and booleans', () => {
		for (const v of [NaN, Infinity, -Infinity, '20', true, [20]])
			expect(refusal(validateAnswer(numeric, v))).toBe('Enter a number.');
	});
});

describe('validateAnswer: text', () => {
	it('accepts text up to 500 characters and keeps it as typed', () => {
		expect(validateAnswer(text, ' Glútes ')).toEqual({ ok: true, answer: ' Glútes ' });
		const max = 'x'.repeat(500);
		expect(validateAnswer(text, max)).toEqual({ ok: true, answer: max });
	});
	it('refuses 501 characters and non-strings', () => {
		expect(refusal(validateAnswer(text, 'x'.repeat(501)))).toMatch(/500 characters/);
		expect(refusal(validateAnswer(text, 5))).toMatch(/as text/);
		expect(refusal(validateAnswer(text, ['glutes']))).toMatch(/as text/);
	});
});

describe('validateAnswer: untrusted input', () => {
	it('never throws, and an accepted answer is accepted unchanged when checked again', () => {
		fc.assert(
			fc.property(fc.constantFrom(...all), fc.anything(), (q, value) => {
				const r = validateAnswer(q, value);
				if (r.ok) expect(validateAnswer(q, r.answer)).toEqual(r);
				else expect(r.message.length).toBeGreaterThan(0);
			}),
			{ numRuns: 500 }
		);
	});
	it('accepts an answer only when it fits the question (ids from the question itself)', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'x'), { maxLength: 8 }), (ids) => {
				const r = validateAnswer(multiple, ids);
				const valid = ids.length <= 4 && new Set(ids).size === ids.length && !ids.includes('x');
				expect(r.ok).toBe(valid);
			})
		);
	});
});

/** A form lookup over a list of [name, value] pairs, like FormData.getAll. */
function form(entries: [string, string][]) {
	return (key: string) => entries.filter(([k]) => k === key).map(([, v]) => v);
}

describe('parseFormAnswer', () => {
	it('single: reads q.<id>, and refuses a second value', () => {
		expect(parseFormAnswer(single, form([['q.single-q', 'b']]))).toEqual({ ok: true, answer: 'b' });
		expect(parseFormAnswer(single, form([]))).toEqual({ ok: true, answer: null });
		expect(
			refusal(
				parseFormAnswer(
					single,
					form([
						['q.single-q', 'a'],
						['q.single-q', 'b']
					])
				)
			)
		).toMatch(/one answer/);
		expect(refusal(parseFormAnswer(single, form([['q.single-q', 'zz']])))).toMatch(/not an option/);
	});
	it('multiple: reads repeated checkboxes', () => {
		const f = form([
			['q.multiple-q', 'a'],
			['q.multiple-q', 'd'],
			['q.other', 'b']
		]);
		expect(parseFormAnswer(multiple, f)).toEqual({ ok: true, answer: ['a', 'd'] });
		expect(parseFormAnswer(multiple, form([]))).toEqual({ ok: true, answer: null });
		const dup = form([
			['q.multiple-q', 'a'],
			['q.multiple-q', 'a']
		]);
		expect(refusal(parseFormAnswer(multiple, dup))).toMatch(/twice/);
	});
	it('truefalse: "true" and "false", nothing else', () => {
		expect(parseFormAnswer(truefalse, form([['q.tf-q', 'true']]))).toEqual({
			ok: true,
			answer: true
		});
		expect(parseFormAnswer(truefalse, form([['q.tf-q', 'false']]))).toEqual({
			ok: true,
			answer: false
		});
		expect(parseFormAnswer(truefalse, form([]))).toEqual({ ok: true, answer: null });
		expect(refusal(parseFormAnswer(truefalse, form([['q.tf-q', 'yes']])))).toBe(
			'Answer true or false.'
		);
	});
	it('numeric: decimal strings with a point or a comma', () => {
		const cases: [string, number][] = [
			['12', 12],
			['12.5', 12.5],
			['12,5', 12.5],
			['-3', -3],
			[' 20 ', 20],
			['0.25', 0.25]
		];
		for (const [raw, value] of cases)
			expect(parseFormAnswer(numeric, form([['q.num-q', raw]]))).toEqual({
				ok: true,
				answer: value
			});
		expect(parseFormAnswer(numeric, form([['q.num-q', '  ']]))).toEqual({ ok: true, answer: null });
	});
	it('numeric: anything else is "Enter a number"', () => {
		for (const raw of [
			'abc',
			'12abc',
			'1e3',
			'1,000.5',
			'12..5',
			'Infinity',
			'NaN',
			'-',
			'9'.repeat(400)
		])
			expect(refusal(parseFormAnswer(numeric, form([['q.num-q', raw]])))).toBe('Enter a number.');
	});
	it('text: reads the typed text', () => {
		expect(parseFormAnswer(text, form([['q.text-q', 'Glutes']]))).toEqual({
			ok: true,
			answer: 'Glutes'
		});
		expect(refusal(parseFormAnswer(text, form([['q.text-q', 'x'.repeat(501)]])))).toMatch(/500/);
	});
	it('ordering: positions become the learner’s order', () => {
		const f = form([
			['q.order-q.load', '2'],
			['q.order-q.micro', '3'],
			['q.order-q.pain', '1']
		]);
		expect(parseFormAnswer(ordering, f)).toEqual({ ok: true, answer: ['pain', 'load', 'micro'] });
		expect(parseFormAnswer(ordering, form([]))).toEqual({ ok: true, answer: null });
	});
	it.each([
		['a repeated position', ['1', '1', '2']],
		['a missing position', ['1', '', '2']],
		['position 0', ['0', '1', '2']],
		['a position past the end', ['1', '2', '4']],
		['a non-integer position', ['1', '2', '2.5']],
		['a word', ['1', '2', 'three']]
	])('ordering: refuses %s', (_, positions) => {
		const f = form([
			['q.order-q.load', positions[0]!],
			['q.order-q.micro', positions[1]!],
			['q.order-q.pain', positions[2]!]
		]);
		expect(refusal(parseFormAnswer(ordering, f))).toBe('Give each step a different position.');
	});
	it('matching: one select per pair, empty ones left unanswered', () => {
		const f = form([
			['q.match-q.psoas', 'psoas'],
			['q.match-q.iliacus', ''],
			['q.match-q.rectus', 'iliacus'],
			['q.match-q.evil', 'psoas']
		]);
		expect(parseFormAnswer(matching, f)).toEqual({
			ok: true,
			answer: { psoas: 'psoas', rectus: 'iliacus' }
		});
		expect(parseFormAnswer(matching, form([]))).toEqual({ ok: true, answer: null });
		expect(refusal(parseFormAnswer(matching, form([['q.match-q.psoas', 'nope']])))).toMatch(
			/chosen matches/
		);
	});
});
