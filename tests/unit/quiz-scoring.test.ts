import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QuestionFile } from '../../src/lib/content/schema';
import { validateAnswer, type Answer } from '../../src/lib/quiz/answers';
import { arrangeQuestions, seededRandom, shuffleKeepingPinned } from '../../src/lib/quiz/arrange';
import {
	gradeAnswers,
	passed,
	recordedGrade,
	scoreQuestion,
	type QuestionResult
} from '../../src/lib/quiz/scoring';

const base = { lesson: 'lesson', points: 1, prompt: 'Prompt', explanation: 'Why.' };
const option = (id: string, correct = false) => ({ id, text: id, correct, pinned: false });

function multiple(scoring: 'partial' | 'all-or-nothing', points = 1): QuestionFile {
	// a, b, c correct; d, e wrong.
	return {
		...base,
		id: 'multi',
		points,
		type: 'multiple',
		scoring,
		options: [option('a', true), option('b', true), option('c', true), option('d'), option('e')]
	};
}
const single: QuestionFile = {
	...base,
	id: 'single',
	points: 2,
	type: 'single',
	options: [option('a'), option('b', true), option('c')]
};
const truefalse: QuestionFile = {
	...base,
	id: 'tf',
	type: 'truefalse',
	answer: false,
	feedback: 'F'
};
const ordering: QuestionFile = {
	...base,
	id: 'order',
	type: 'ordering',
	items: ['one', 'two', 'three'].map((id) => ({ id, text: id })),
	feedback: 'F'
};
const matching: QuestionFile = {
	...base,
	id: 'match',
	points: 3,
	type: 'matching',
	pairs: ['p', 'q', 'r', 's'].map((id) => ({ id, left: id, right: id.toUpperCase() })),
	feedback: 'F'
};
function numeric(answer: number, tolerance: number): QuestionFile {
	return { ...base, id: 'num', type: 'numeric', answer, tolerance, feedback: 'F' };
}
function text(accept: string[], foldAccents = true): QuestionFile {
	return { ...base, id: 'text', type: 'text', accept, foldAccents, feedback: 'F' };
}

const full = (points = 1): QuestionResult => ({ score: points, points, correct: true });
const none = (points = 1): QuestionResult => ({ score: 0, points, correct: false });

describe('scoreQuestion', () => {
	it('scores unanswered as zero for every type', () => {
		for (const q of [single, multiple('partial'), truefalse, ordering, matching, numeric(1, 0)])
			expect(scoreQuestion(q, null)).toEqual(none(q.points));
	});

	it('single: full points only for the correct option', () => {
		expect(scoreQuestion(single, 'b')).toEqual(full(2));
		expect(scoreQuestion(single, 'a')).toEqual(none(2));
		expect(scoreQuestion(single, ['b'])).toEqual(none(2));
	});

	it('multiple, all-or-nothing: only the exact correct set', () => {
		const q = multiple('all-or-nothing');
		expect(scoreQuestion(q, ['c', 'a', 'b'])).toEqual(full());
		expect(scoreQuestion(q, ['a', 'b'])).toEqual(none());
		expect(scoreQuestion(q, ['a', 'b', 'c', 'd'])).toEqual(none());
		expect(scoreQuestion(q, 'a')).toEqual(none());
	});

	it('multiple, partial: right choices add, wrong ones subtract, floored at zero', () => {
		const q = multiple('partial', 3);
		expect(scoreQuestion(q, ['a', 'b', 'c'])).toEqual(full(3));
		expect(scoreQuestion(q, ['a', 'b'])).toEqual({ score: 2, points: 3, correct: false });
		expect(scoreQuestion(q, ['a'])).toEqual({ score: 1, points: 3, correct: false });
		expect(scoreQuestion(q, ['a', 'b', 'd'])).toEqual({ score: 1, points: 3, correct: false });
		expect(scoreQuestion(q, ['a', 'b', 'c', 'd', 'e'])).toEqual({
			score: 1,
			points: 3,
			correct: false
		});
		expect(scoreQuestion(q, ['a', 'd'])).toEqual(none(3));
		expect(scoreQuestion(q, ['a', 'd', 'e'])).toEqual(none(3));
		expect(scoreQuestion(q, ['d', 'e'])).toEqual(none(3));
	});

	it('multiple, partial: rounds thirds to 4 decimals', () => {
		expect(scoreQuestion(multiple('partial'), ['a']).score).toBe(0.3333);
		expect(scoreQuestion(multiple('partial'), ['a', 'b']).score).toBe(0.6667);
	});

	it('truefalse: equal booleans only', () => {
		expect(scoreQuestion(truefalse, false)).toEqual(full());
		expect(scoreQuestion(truefalse, true)).toEqual(none());
		expect(scoreQuestion(truefalse, 'false')).toEqual(none());
	});

	it('ordering: all or nothing on the exact order', () => {
		expect(scoreQuestion(ordering, ['one', 'two', 'three'])).toEqual(full());
		expect(scoreQuestion(ordering, ['one', 'three', 'two'])).toEqual(none());
		expect(scoreQuestion(ordering, ['one', 'two'])).toEqual(none());
		expect(scoreQuestion(ordering, ['one', 'two', 'three', 'four'])).toEqual(none());
	});

	it('matching: points times the share of pairs matched', () => {
		expect(scoreQuestion(matching, { p: 'p', q: 'q', r: 'r', s: 's' })).toEqual(full(3));
		expect(scoreQuestion(matching, { p: 'p', q: 'q', r: 's', s: 'r' })).toEqual({
			score: 1.5,
			points: 3,
			correct: false
		});
		expect(scoreQuestion(matching, { p: 'p' })).toEqual({ score: 0.75, points: 3, correct: false });
		expect(scoreQuestion(matching, { p: 'q', q: 'p' })).toEqual(none(3));
		expect(scoreQuestion(matching, ['p', 'q', 'r', 's'])).toEqual(none(3));
	});

	it('numeric: within ± tolerance, bounds included', () => {
		const q = numeric(20, 0.5);
		for (const v of [20, 19.5, 20.5, 20.25]) expect(scoreQuestion(q, v)).toEqual(full());
		for (const v of [19.49, 20.51, -20]) expect(scoreQuestion(q, v)).toEqual(none());
	});

	it('numeric: zero tolerance is exact, but float error does not fail a right answer', () => {
		expect(scoreQuestion(numeric(5, 0), 5)).toEqual(full());
		expect(scoreQuestion(numeric(5, 0), 5.001)).toEqual(none());
		expect(scoreQuestion(numeric(0.3, 0), 0.1 + 0.2)).toEqual(full());
		expect(scoreQuestion(numeric(1.1, 0.1), 1.2)).toEqual(full());
		expect(scoreQuestion(numeric(1.1, 0.1), 1.2001)).toEqual(none());
	});

	it('text: ignores case and surrounding or repeated whitespace', () => {
		const q = text(['differential diagnosis']);
		expect(scoreQuestion(q, '  Differential   DIAGNOSIS \n')).toEqual(full());
		expect(scoreQuestion(q, 'differentialdiagnosis')).toEqual(none());
		expect(scoreQuestion(q, 'differential')).toEqual(none());
	});

	it('text: folds accents only when asked to', () => {
		expect(scoreQuestion(text(['glutes'], true), 'Glútes')).toEqual(full());
		expect(scoreQuestion(text(['glutes'], false), 'Glútes')).toEqual(none());
		expect(scoreQuestion(text(['Glútes'], false), 'glútes')).toEqual(full());
		// Composed and decomposed forms of ú are the same answer even without folding.
		expect(scoreQuestion(text(['gl\u00fates'], false), 'glu\u0301tes')).toEqual(full());
	});

	it('text: any accepted answer counts', () => {
		const q = text(['glutes', 'gluteals']);
		expect(scoreQuestion(q, 'Gluteals')).toEqual(full());
		expect(scoreQuestion(q, 'hamstrings')).toEqual(none());
	});
});

describe('gradeAnswers', () => {
	const quiz = [single, multiple('partial'), truefalse, matching];
	it('sums the scores and gives the percent', () => {
		const r = gradeAnswers(quiz, { single: 'b', multi: ['a'], tf: true, match: { p: 'p' } });
		expect(r.maxScore).toBe(7);
		expect(r.score).toBe(3.0833);
		expect(r.percent).toBe(44.05);
		expect(r.results.single).toEqual(full(2));
		expect(r.results.tf).toEqual(none());
	});
	it('counts missing and null answers as unanswered', () => {
		const r = gradeAnswers(quiz, { single: null, tf: undefined });
		expect(r).toMatchObject({ score: 0, maxScore: 7, percent: 0 });
		expect(Object.keys(r.results)).toEqual(['single', 'multi', 'tf', 'match']);
	});
	it('gives 100 for all correct', () => {
		const r = gradeAnswers(quiz, {
			single: 'b',
			multi: ['a', 'b', 'c'],
			tf: false,
			match: { p: 'p', q: 'q', r: 'r', s: 's' }
		});
		expect(r).toMatchObject({ score: 7, maxScore: 7, percent: 100 });
	});
	it('gives 0 percent when there is nothing to score', () => {
		expect(gradeAnswers([], {})).toEqual({ score: 0, maxScore: 0, percent: 0, results: {} });
	});
	it('ignores answers to questions not in the list and inherited names', () => {
		const q: QuestionFile = { ...truefalse, id: 'constructor' };
		const r = gradeAnswers([q], { other: true });
		expect(r.results.constructor).toEqual(none());
	});
});

describe('passed', () => {
	it('passes at or above the pass mark', () => {
		expect(passed(80, 80)).toBe(true);
		expect(passed(79.99, 80)).toBe(false);
		expect(passed(100, 80)).toBe(true);
		expect(passed(0, 0)).toBe(true);
	});
});

describe('recordedGrade', () => {
	const at = (day: number) => new Date(Date.UTC(2025, 0, day));
	// Listed out of time order on purpose.
	const attempts = [
		{ percent: 60, submittedAt: at(2) },
		{ percent: 90, submittedAt: at(3) },
		{ percent: 40, submittedAt: at(1) },
		{ percent: 70, submittedAt: at(4) }
	];
	it('is null without attempts', () => {
		for (const rule of ['highest', 'last', 'first', 'average'] as const)
			expect(recordedGrade([], rule)).toBeNull();
	});
	it('applies each rule, using submission time for first and last', () => {
		expect(recordedGrade(attempts, 'highest')).toBe(90);
		expect(recordedGrade(attempts, 'first')).toBe(40);
		expect(recordedGrade(attempts, 'last')).toBe(70);
		expect(recordedGrade(attempts, 'average')).toBe(65);
	});
	it('rounds the average to 2 decimals', () => {
		const three = [10, 20, 20.5].map((percent, i) => ({ percent, submittedAt: at(i + 1) }));
		expect(recordedGrade(three, 'average')).toBe(16.83);
	});
	it('does not reorder the attempts it is given', () => {
		const copy = [...attempts];
		recordedGrade(attempts, 'last');
		expect(attempts).toEqual(copy);
	});
});

// ---- Property-based invariants over generated questions of every type ----

// Built once: stringMatching compiles its regex, which is slow to repeat inside chain().
const idList = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/), {
	minLength: 2,
	maxLength: 6
});
const points = fc.oneof(
	fc.integer({ min: 1, max: 10 }),
	fc.double({ min: 0.01, max: 10, noNaN: true })
);
const shared = points.map((p) => ({
	id: 'q',
	lesson: 'lesson',
	points: p,
	prompt: 'P',
	explanation: 'E'
}));

function buildQuestionArb(): fc.Arbitrary<QuestionFile> {
	const withOptions = (type: 'single' | 'multiple') =>
		fc
			.tuple(shared, idList, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }))
			.chain(([b, ids, flags]) =>
				fc.nat({ max: ids.length - 1 }).chain((forced) =>
					fc
						.record({
							pinned: fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
							scoring: fc.constantFrom('partial' as const, 'all-or-nothing' as const)
						})
						.map(({ pinned, scoring }): QuestionFile => {
							const options = ids.map((oid, i) => ({
								id: oid,
								text: oid,
								// single: exactly one correct; multiple: at least one.
								correct: type === 'single' ? i === forced : i === forced || (flags[i] ?? false),
								pinned: pinned[i] ?? false
							}));
							return type === 'single' ? { ...b, type, options } : { ...b, type, scoring, options };
						})
				)
			);
	return fc.oneof(
		withOptions('single'),
		withOptions('multiple'),
		fc
			.tuple(shared, fc.boolean())
			.map(([b, answer]): QuestionFile => ({ ...b, type: 'truefalse', answer, feedback: 'F' })),
		fc.tuple(shared, idList).map(([b, ids]): QuestionFile => ({
			...b,
			type: 'ordering',
			items: ids.map((i) => ({ id: i, text: i })),
			feedback: 'F'
		})),
		fc.tuple(shared, idList).map(([b, ids]): QuestionFile => ({
			...b,
			type: 'matching',
			pairs: ids.map((i) => ({ id: i, left: i, right: i })),
			feedback: 'F'
		})),
		fc
			.tuple(
				shared,
				fc.double({ min: -1e6, max: 1e6, noNaN: true }),
				fc.double({ min: 0, max: 100, noNaN: true })
			)
			.map(([b, answer, tolerance]): QuestionFile => ({
				...b,
				type: 'numeric',
				answer,
				tolerance,
				feedback: 'F'
			})),
		fc
			.tuple(
				shared,
				fc.array(
					fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
					{ minLength: 1, maxLength: 3 }
				),
				fc.boolean()
			)
			.map(([b, accept, foldAccents]): QuestionFile => ({
				...b,
				type: 'text',
				accept,
				foldAccents,
				feedback: 'F'
			}))
	);
}

/** The answer key written as a learner's answer. */
function keyAnswer(q: QuestionFile): Answer {
	switch (q.type) {
		case 'single':
			return q.options.find((o) => o.correct)!.id;
		case 'multiple':
			return q.options.filter((o) => o.correct).map((o) => o.id);
		case 'truefalse':
		case 'numeric':
			return q.answer;
		case 'ordering':
			return q.items.map((i) => i.id);
		case 'matching':
			return Object.fromEntries(q.pairs.map((p) => [p.id, p.id]));
		case 'text':
			return q.accept[0]!;
	}
}

/** Any well-formed answer (or none) to `q`. */
function answerArb(q: QuestionFile): fc.Arbitrary<Answer | null> {
	const some = (() => {
		switch (q.type) {
			case 'single':
				return fc.constantFrom(...q.options.map((o) => o.id));
			case 'multiple':
				return fc.subarray(q.options.map((o) => o.id));
			case 'truefalse':
				return fc.boolean();
			case 'ordering': {
				const ids = q.items.map((i) => i.id);
				return fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length });
			}
			case 'matching': {
				const ids = q.pairs.map((p) => p.id);
				return fc
					.tuple(...ids.map(() => fc.option(fc.constantFrom(...ids), { nil: undefined })))
					.map((chosen) =>
						Object.fromEntries(
							ids.flatMap((id, i) => (chosen[i] === undefined ? [] : [[id, chosen[i]]]))
						)
					);
			}
			case 'numeric':
				return fc.oneof(
					fc.constant(q.answer),
					fc.constant(q.answer + q.tolerance),
					fc.double({ min: -2e6, max: 2e6, noNaN: true })
				);
			case 'text':
				return fc.oneof(fc.constantFrom(...q.accept), fc.string({ maxLength: 30 }));
		}
	})() as fc.Arbitrary<Answer>;
	return fc.option(some, { nil: null, freq: 5 });
}

const questionArb = buildQuestionArb();
const questionWithAnswer = questionArb.chain((q) => fc.tuple(fc.constant(q), answerArb(q)));

describe('scoring properties', () => {
	it('scores every answer within [0, points]', () => {
		fc.assert(
			fc.property(questionWithAnswer, ([q, answer]) => {
				const r = scoreQuestion(q, answer);
				expect(r.points).toBe(q.points);
				expect(r.score).toBeGreaterThanOrEqual(0);
				expect(r.score).toBeLessThanOrEqual(q.points);
				expect(r.correct).toBe(r.score === q.points);
			}),
			{ numRuns: 500 }
		);
	});

	it('gives full points to the answer key', () => {
		fc.assert(
			fc.property(questionArb, (q) => {
				expect(scoreQuestion(q, keyAnswer(q))).toEqual(full(q.points));
			}),
			{ numRuns: 500 }
		);
	});

	it('accepts every generated answer as valid input', () => {
		fc.assert(
			fc.property(questionWithAnswer, ([q, answer]) => {
				const r = validateAnswer(q, answer);
				expect(r.ok).toBe(true);
			}),
			{ numRuns: 300 }
		);
	});

	it('does not change a score when the options are shuffled', () => {
		fc.assert(
			fc.property(questionWithAnswer, fc.string(), ([q, answer], seed) => {
				const shuffled =
					q.type === 'single' || q.type === 'multiple'
						? { ...q, options: shuffleKeepingPinned(q.options, seededRandom(seed)) }
						: q;
				expect(scoreQuestion(shuffled, answer)).toEqual(scoreQuestion(q, answer));
			}),
			{ numRuns: 300 }
		);
	});

	const quizArb = fc
		.array(questionArb, { minLength: 1, maxLength: 6 })
		.map((qs) => qs.map((q, i): QuestionFile => ({ ...q, id: `q${i}` })))
		.chain((qs) =>
			fc.tuple(
				fc.constant(qs),
				fc
					.tuple(...qs.map((q) => answerArb(q)))
					.map((as) => Object.fromEntries(qs.map((q, i) => [q.id, as[i]])))
			)
		);

	it('keeps each question’s score when questions are arranged, and percent within [0, 100]', () => {
		fc.assert(
			fc.property(
				quizArb,
				fc.record({
					draw: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
					shuffleQuestions: fc.boolean(),
					shuffleOptions: fc.boolean()
				}),
				fc.string(),
				([questions, answers], settings, seed) => {
					const before = gradeAnswers(questions, answers);
					const arranged = arrangeQuestions(questions, settings, seededRandom(seed));
					const after = gradeAnswers(arranged, answers);
					for (const q of arranged) expect(after.results[q.id]).toEqual(before.results[q.id]);
					for (const r of [before, after]) {
						expect(r.percent).toBeGreaterThanOrEqual(0);
						expect(r.percent).toBeLessThanOrEqual(100);
						expect(r.score).toBeLessThanOrEqual(r.maxScore);
					}
				}
			),
			{ numRuns: 300 }
		);
	});
});
