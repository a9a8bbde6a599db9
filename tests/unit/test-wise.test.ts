// The cheap-strategy simulator: expected scores of a learner who knows nothing, on small quizzes
// whose answers can be worked out by hand.
import { describe, expect, it } from 'vitest';
import { quizFileSchema } from '../../src/lib/content/schema';
import {
	bestRoundGuess,
	bestStrategy,
	testWiseScores,
	type Strategy
} from '../../src/lib/server/content/test-wise';

/** A quiz parsed by the real schema, so defaults (points, scoring, tolerance) are the app's. */
function quiz(settings: Record<string, unknown>, questions: Record<string, unknown>[]) {
	return quizFileSchema.parse({
		id: 'q',
		title: 'Q',
		settings,
		questions: questions.map((q, i) => ({
			id: `q${i}`,
			lesson: 'l',
			prompt: 'Which?',
			explanation: 'Because.',
			...q
		}))
	});
}

/** A single-choice item: the key's text first in `texts` is `keyAt` (index in the file). */
const single = (texts: string[], keyAt: number) => ({
	type: 'single',
	options: texts.map((text, i) => ({
		id: `o${i}`,
		text,
		...(i === keyAt ? { correct: true } : { feedback: 'No.' })
	}))
});

const percentOf = (report: ReturnType<typeof testWiseScores>, s: Strategy) =>
	report.scores.find((x) => x.strategy === s)!.percent;

describe('single choice', () => {
	it('in file order: longest, shortest, first and last score what a hand count gives', () => {
		const q = quiz({}, [
			single(['The right answer, said at length', 'Wrong', 'Also wrong'], 0),
			single(['No', 'Nope', 'The right answer, said at length'], 2),
			single(['Short', 'The right answer, said at length', 'Longer but wrong'], 1)
		]);
		const r = testWiseScores(q);
		expect(r.shuffled).toBe(false);
		expect(r.arrangements).toBe(1);
		expect(percentOf(r, 'longest')).toBe(100);
		expect(percentOf(r, 'shortest')).toBe(0);
		expect(percentOf(r, 'first')).toBeCloseTo(33.33, 1);
		expect(percentOf(r, 'last')).toBeCloseTo(33.33, 1);
		expect(percentOf(r, 'random')).toBeCloseTo(33.33, 1);
		expect(bestStrategy(r).strategy).toBe('longest');
	});

	it('breaks a tie in length toward the option shown first', () => {
		const q = quiz({}, [single(['Same length A', 'Same length B', 'short'], 1)]);
		expect(percentOf(testWiseScores(q), 'longest')).toBe(0);
		const q2 = quiz({}, [single(['Same length A', 'Same length B', 'short'], 0)]);
		expect(percentOf(testWiseScores(q2), 'longest')).toBe(100);
	});

	it('with shuffled options, first and last shown average out near chance; length cues survive', () => {
		const q = quiz({ shuffleOptions: true }, [
			single(['The right answer, said at length', 'b', 'c', 'd'], 0),
			single(['The right answer, said at length', 'b', 'c', 'd'], 0)
		]);
		const r = testWiseScores(q, { arrangements: 2000 });
		expect(r.shuffled).toBe(true);
		expect(r.arrangements).toBe(2000);
		expect(percentOf(r, 'first')).toBeGreaterThan(22);
		expect(percentOf(r, 'first')).toBeLessThan(28);
		expect(percentOf(r, 'last')).toBeGreaterThan(22);
		expect(percentOf(r, 'last')).toBeLessThan(28);
		expect(percentOf(r, 'longest')).toBe(100);
	});

	it('a pinned key keeps its place under shuffling, so "last shown" finds it every time', () => {
		const q = quiz({ shuffleOptions: true }, [
			{
				type: 'single',
				options: [
					{ id: 'a', text: 'Alpha', feedback: 'No.' },
					{ id: 'b', text: 'Beta', feedback: 'No.' },
					{ id: 'n', text: 'None of these', correct: true, pinned: true }
				]
			}
		]);
		expect(percentOf(testWiseScores(q), 'last')).toBe(100);
	});

	it('weights items by their points, as the grade does', () => {
		const q = quiz({}, [
			{ ...single(['The right answer, said at length', 'b'], 0), points: 3 },
			single(['a', 'The right answer, said at length'], 0)
		]);
		expect(percentOf(testWiseScores(q), 'longest')).toBe(75);
	});
});

describe('other types', () => {
	it('true/false: always True scores the share of True keys, random half, last shown answers False', () => {
		const tf = (answer: boolean) => ({ type: 'truefalse', answer, feedback: 'See the lesson.' });
		const r = testWiseScores(quiz({}, [tf(true), tf(true), tf(true), tf(false)]));
		expect(percentOf(r, 'always-true')).toBe(75);
		expect(percentOf(r, 'first')).toBe(75);
		expect(percentOf(r, 'last')).toBe(25);
		expect(percentOf(r, 'random')).toBe(50);
	});

	it('numeric: the best round number is guessed in every row', () => {
		const num = (answer: number, tolerance = 0) => ({
			type: 'numeric',
			answer,
			tolerance,
			feedback: 'See the lesson.'
		});
		expect(bestRoundGuess(quiz({}, [num(20), num(17)]).questions)).toBe(20);
		const r = testWiseScores(quiz({}, [num(20), num(17)]));
		expect(r.roundGuess).toBe(20);
		for (const s of r.scores) expect(s.percent, s.strategy).toBe(50);
		// A tolerance wide enough to take in a round number gives the point away too.
		expect(percentOf(testWiseScores(quiz({}, [num(17, 3)])), 'random')).toBe(100);
		expect(percentOf(testWiseScores(quiz({}, [num(17)])), 'random')).toBe(0);
	});

	it('multiple response: the k longest, or a random k-subset (1 in 6 for 2 of 4, all or nothing)', () => {
		const q = quiz({}, [
			{
				type: 'multiple',
				options: [
					{ id: 'a', text: 'A long right answer', correct: true },
					{ id: 'b', text: 'Another long right one', correct: true },
					{ id: 'c', text: 'Wrong', feedback: 'No.' },
					{ id: 'd', text: 'Nope', feedback: 'No.' }
				]
			}
		]);
		const r = testWiseScores(q);
		expect(percentOf(r, 'longest')).toBe(100);
		expect(percentOf(r, 'shortest')).toBe(0);
		expect(percentOf(r, 'first')).toBe(100);
		expect(percentOf(r, 'random')).toBeCloseTo(100 / 6, 1);
	});

	it('matching: one answer for every item gets one pair in n; ordering: shown order never scores', () => {
		const q = quiz({}, [
			{
				type: 'matching',
				pairs: ['a', 'b', 'c', 'd'].map((id) => ({ id, left: `L ${id}`, right: `R ${id}` })),
				feedback: 'See the lesson.'
			},
			{
				type: 'ordering',
				items: ['a', 'b', 'c'].map((id) => ({ id, text: `Step ${id}` })),
				feedback: 'See the lesson.'
			}
		]);
		const r = testWiseScores(q, { arrangements: 200 });
		expect(r.shuffled).toBe(true);
		for (const s of r.scores) {
			expect(s.byQuestion.q0, s.strategy).toBeCloseTo(0.25, 5);
			expect(s.byQuestion.q1, s.strategy).toBeCloseTo(s.strategy === 'random' ? 1 / 6 : 0, 5);
		}
	});

	it('text items are left blank', () => {
		const q = quiz({}, [{ type: 'text', accept: ['psoas'], feedback: 'See the lesson.' }]);
		expect(bestStrategy(testWiseScores(q)).percent).toBe(0);
	});
});
