// The cheap-strategy exam simulator: the expected score of a learner who knows nothing and
// answers by a habit (the longest option, the first shown, "True", a round number…), computed
// with the app's own arrangement (arrange.ts) and scoring (scoring.ts) code. Pure: it takes a
// quiz's questions and settings from anywhere, so lesson-embedded checks can reuse it.
import type { QuestionFile } from '../../content/schema';
import type { Answer } from '../../quiz/answers';
import { arrangeQuestions, displayOrder, seededRandom } from '../../quiz/arrange';
import { scoreQuestion } from '../../quiz/scoring';
import type { QuizSettings } from '../../quiz/types';

/**
 * The strategies, each a whole way of taking the exam (so every row answers every item):
 * - `longest` / `shortest`: the longest (shortest) option as shown, ties to the first shown; in a
 *   multiple-response item the k longest (shortest), k being the number of correct options (a
 *   test-wise learner is usually told "select two"); in matching, that right-hand answer for
 *   every item. True/false has nothing to measure, so these rows answer True.
 * - `first` / `last`: the first (last) option as shown; the first (last) k in a multiple-response
 *   item; the first (last) answer for every matching item; True (first) / False (last).
 * - `random`: the expected value of a uniform pick (1/n; a random k-subset; 1/2 on true/false).
 * - `always-true`: True on every true/false item, a random pick everywhere else.
 * Every row guesses numeric items with one round number (the best of ROUND_NUMBERS for the quiz,
 * an upper bound: the learner does not know which is best), submits ordering items in the order
 * shown (never the key, see displayOrder) except `random` (1/n!), and leaves text items blank.
 */
export const STRATEGIES = [
	'longest',
	'shortest',
	'first',
	'last',
	'random',
	'always-true'
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const STRATEGY_LABELS: Record<Strategy, string> = {
	longest: 'longest option',
	shortest: 'shortest option',
	first: 'first shown',
	last: 'last shown',
	random: 'random',
	'always-true': 'true/false always True'
};

/** The round numbers a guesser tries on numeric items. */
export const ROUND_NUMBERS = [5, 10, 15, 20, 25, 30, 50, 60, 100] as const;

/** Arrangements averaged when the quiz shuffles or draws, seeded so runs agree. */
export const DEFAULT_ARRANGEMENTS = 1000;

export interface StrategyScore {
	strategy: Strategy;
	/** Expected percent of the quiz's points, averaged over arrangements. */
	percent: number;
	/** Expected share (0–1) of each question's points, by question id. */
	byQuestion: Record<string, number>;
}

export interface TestWiseReport {
	/** How many arrangements were averaged (1 when nothing is shuffled or drawn). */
	arrangements: number;
	/** Whether the order learners see changes between attempts. */
	shuffled: boolean;
	/** The round number used on numeric items; null when the quiz has none. */
	roundGuess: number | null;
	scores: StrategyScore[];
}

type Dist = [Answer | null, number][];

const textLength = (s: string) => s.trim().replace(/\s+/g, ' ').length;

/** Option indices in the order a length rule ranks them; ties keep the shown order. */
function rankByLength(texts: string[], longest: boolean): number[] {
	return texts
		.map((t, i) => [textLength(t), i] as const)
		.sort((a, b) => (longest ? b[0] - a[0] : a[0] - b[0]) || a[1] - b[1])
		.map(([, i]) => i);
}

/** Every k-subset of 0..n-1 (n is small: a question's options). */
function subsets(n: number, k: number): number[][] {
	const out: number[][] = [];
	const walk = (start: number, acc: number[]) => {
		if (acc.length === k) return void out.push([...acc]);
		for (let i = start; i < n; i++) walk(i + 1, [...acc, i]);
	};
	walk(0, []);
	return out;
}

const uniform = (answers: (Answer | null)[]): Dist =>
	answers.map((a) => [a, 1 / answers.length] as [Answer | null, number]);

/** What a learner following `strategy` answers to one question as shown (a distribution). */
function answerOf(
	q: QuestionFile,
	order: string[],
	strategy: Strategy,
	roundGuess: number | null
): Dist {
	const random = strategy === 'random' || strategy === 'always-true';
	switch (q.type) {
		case 'single':
		case 'multiple': {
			const ids = q.options.map((o) => o.id);
			const k = q.type === 'single' ? 1 : q.options.filter((o) => o.correct).length;
			const pack = (picked: number[]): Answer =>
				q.type === 'single' ? ids[picked[0]!]! : picked.map((i) => ids[i]!);
			if (random) return uniform(subsets(ids.length, k).map(pack));
			const ranked =
				strategy === 'longest' || strategy === 'shortest'
					? rankByLength(
							q.options.map((o) => o.text),
							strategy === 'longest'
						)
					: strategy === 'first'
						? ids.map((_, i) => i)
						: ids.map((_, i) => ids.length - 1 - i);
			return [[pack(ranked.slice(0, k)), 1]];
		}
		case 'truefalse':
			if (strategy === 'random') return uniform([true, false]);
			return [[strategy !== 'last', 1]];
		case 'ordering': {
			if (strategy !== 'random') return [[order, 1]];
			// 1/n! of the time a random order is the key; only the key scores (all or nothing).
			const key = q.items.map((i) => i.id);
			let permutations = 1;
			for (let i = 2; i <= key.length; i++) permutations *= i;
			return [
				[key, 1 / permutations],
				[null, 1 - 1 / permutations]
			];
		}
		case 'matching': {
			const lefts = q.pairs.map((p) => p.id);
			if (random)
				return order.map((right) => [
					Object.fromEntries(lefts.map((l) => [l, right])),
					1 / order.length
				]);
			const rights = new Map(q.pairs.map((p) => [p.id, p.right]));
			const shown = order.map((id) => rights.get(id)!);
			const at =
				strategy === 'longest' || strategy === 'shortest'
					? rankByLength(shown, strategy === 'longest')[0]!
					: strategy === 'first'
						? 0
						: order.length - 1;
			return [[Object.fromEntries(lefts.map((l) => [l, order[at]!])), 1]];
		}
		case 'numeric':
			return [[roundGuess, 1]];
		case 'text':
			return [[null, 1]];
	}
}

const expectedPoints = (q: QuestionFile, dist: Dist) =>
	dist.reduce((sum, [answer, p]) => sum + p * scoreQuestion(q, answer).score, 0);

/** The one round number that earns the most on the quiz's numeric items. */
export function bestRoundGuess(questions: readonly QuestionFile[]): number | null {
	const numeric = questions.filter((q) => q.type === 'numeric');
	if (!numeric.length) return null;
	let best: number = ROUND_NUMBERS[0];
	let bestPoints = -1;
	for (const guess of ROUND_NUMBERS) {
		const points = numeric.reduce((s, q) => s + scoreQuestion(q, guess).score, 0);
		if (points > bestPoints) [best, bestPoints] = [guess, points];
	}
	return best;
}

/**
 * The expected score of every strategy on a quiz. When the quiz shuffles questions or options,
 * or draws from a pool, "first shown", "longest (ties to the first shown)" and the rest are
 * evaluated on `arrangements` seeded attempts built by the app's arrangeQuestions and
 * displayOrder, and averaged; otherwise the file's order is the only one a learner sees.
 */
export function testWiseScores(
	quiz: { questions: readonly QuestionFile[]; settings: QuizSettings },
	options: { arrangements?: number; seed?: string } = {}
): TestWiseReport {
	const { settings } = quiz;
	const shuffled =
		settings.shuffleOptions ||
		settings.shuffleQuestions ||
		(settings.draw !== null && settings.draw < quiz.questions.length) ||
		quiz.questions.some((q) => q.type === 'matching' || q.type === 'ordering');
	const arrangements = shuffled ? (options.arrangements ?? DEFAULT_ARRANGEMENTS) : 1;
	const seed = options.seed ?? 'test-wise';
	const roundGuess = bestRoundGuess(quiz.questions);

	const totals = new Map<Strategy, { percent: number; byQuestion: Map<string, [number, number]> }>(
		STRATEGIES.map((s) => [s, { percent: 0, byQuestion: new Map() }])
	);
	// A random pick's expectation does not depend on the order shown: work it out once.
	const orderFree = new Map<string, number>();
	const pointsFor = (q: QuestionFile, order: string[], strategy: Strategy) => {
		const free =
			strategy === 'random' ||
			q.type === 'numeric' ||
			q.type === 'text' ||
			(strategy === 'always-true' && q.type !== 'truefalse');
		const key = `${strategy}\u0000${q.id}`;
		if (free && orderFree.has(key)) return orderFree.get(key)!;
		const got = expectedPoints(q, answerOf(q, order, strategy, roundGuess));
		if (free) orderFree.set(key, got);
		return got;
	};
	for (let a = 0; a < arrangements; a++) {
		const attemptSeed = `${seed}:${a}`;
		const shown = shuffled
			? arrangeQuestions(quiz.questions, settings, seededRandom(attemptSeed))
			: quiz.questions.map((q) => ({ ...q }));
		const maxPoints = shown.reduce((s, q) => s + q.points, 0);
		// The page's display order (views.ts): scrambled steps, shuffled matching answers.
		const orders = shown.map((q) => displayOrder(q, seededRandom(`${attemptSeed}:${q.id}`)));
		for (const strategy of STRATEGIES) {
			const total = totals.get(strategy)!;
			let points = 0;
			shown.forEach((q, i) => {
				const got = pointsFor(q, orders[i]!, strategy);
				points += got;
				const [sum, count] = total.byQuestion.get(q.id) ?? [0, 0];
				total.byQuestion.set(q.id, [sum + got / q.points, count + 1]);
			});
			total.percent += maxPoints === 0 ? 0 : (points / maxPoints) * 100;
		}
	}
	return {
		arrangements,
		shuffled,
		roundGuess,
		scores: STRATEGIES.map((strategy) => {
			const t = totals.get(strategy)!;
			return {
				strategy,
				percent: Math.round((t.percent / arrangements) * 100) / 100,
				byQuestion: Object.fromEntries(
					[...t.byQuestion].map(([id, [sum, count]]) => [id, sum / count])
				)
			};
		})
	};
}

/** The strategy that scores best: what the exam must hold below its bar. */
export function bestStrategy(report: TestWiseReport): StrategyScore {
	return report.scores.reduce((best, s) => (s.percent > best.percent ? s : best));
}

/** A plain-text table of a report, one row per strategy, for `courses:check --strategies`. */
export function formatStrategyTable(
	report: TestWiseReport,
	questions: readonly QuestionFile[],
	passPercent: number
): string[] {
	const types = [...new Set(questions.map((q) => q.type))];
	const pointsOf = (type: string) =>
		questions.filter((q) => q.type === type).reduce((s, q) => s + q.points, 0);
	const header = [
		'strategy'.padEnd(24),
		'expected'.padStart(8),
		...types.map((t) => t.padStart(10))
	];
	const rows = report.scores.map((s) => {
		const byType = types.map((t) => {
			const got = questions
				.filter((q) => q.type === t)
				.reduce((sum, q) => sum + (s.byQuestion[q.id] ?? 0) * q.points, 0);
			return `${(Math.round(got * 10) / 10).toString()}/${pointsOf(t)}`.padStart(10);
		});
		const mark = s.percent >= passPercent ? '  passes!' : '';
		return (
			[
				STRATEGY_LABELS[s.strategy].padEnd(24),
				`${s.percent.toFixed(1)}%`.padStart(8),
				...byType
			].join(' ') + mark
		);
	});
	return [header.join(' '), ...rows];
}
