// Turns frozen questions into what the learner may see: during an attempt no keys at all;
// after it, as much as the quiz's review policy allows.
import { displayOrder, seededRandom } from '../../quiz/arrange';
import type { Question, QuizSettings } from '../../quiz/types';
import type { QuestionView, ReviewItem, SavedAnswer } from '../../quiz/views';
import { displaySeed, type FrozenAttempt } from './attempts';

// Display order comes from the attempt's secret seed: stable across reloads, and not
// reproducible in the browser (a seed the page could see would let it undo the shuffle).
const orderFor = (q: Question, seed: string) => displayOrder(q, seededRandom(`${seed}:${q.id}`));

/**
 * Matching answers are named by their place in this attempt's shuffled list ("c1", "c2", …),
 * not by pair id: a pair id would equal the left-hand item's id and give the key away.
 */
export function matchingChoiceIds(q: Question, seed: string): Map<string, string> {
	return new Map(orderFor(q, seed).map((pairId, i) => [pairId, `c${i + 1}`]));
}

/** A saved answer in the ids the learner's page uses. */
export function answerForLearner(q: Question, seed: string, answer: unknown): SavedAnswer {
	if (answer === undefined || answer === null) return null;
	if (q.type !== 'matching' || typeof answer !== 'object' || Array.isArray(answer))
		return answer as SavedAnswer;
	const ids = matchingChoiceIds(q, seed);
	return Object.fromEntries(
		Object.entries(answer as Record<string, string>).map(([left, pair]) => [
			left,
			ids.get(pair) ?? ''
		])
	);
}

/** Translates the learner's choice ids in a matching field back to pair ids (unknown stay unknown). */
export function pairIdFromChoice(q: Question, seed: string, choiceId: string): string {
	for (const [pairId, id] of matchingChoiceIds(q, seed)) if (id === choiceId) return pairId;
	return choiceId === '' ? '' : `unknown:${choiceId}`;
}

export function questionView(q: Question, seed: string): QuestionView {
	const order = orderFor(q, seed);
	const base = {
		id: q.id,
		type: q.type,
		promptHtml: q.promptHtml,
		points: q.points,
		choices: [],
		prompts: []
	};
	switch (q.type) {
		case 'single':
		case 'multiple':
			return { ...base, choices: q.options.map((o) => ({ id: o.id, text: o.text })) };
		case 'ordering': {
			const byId = new Map(q.items.map((i) => [i.id, i.text]));
			return { ...base, choices: order.map((id) => ({ id, text: byId.get(id)! })) };
		}
		case 'matching': {
			const right = new Map(q.pairs.map((p) => [p.id, p.right]));
			return {
				...base,
				prompts: q.pairs.map((p) => ({ id: p.id, text: p.left })),
				choices: order.map((id, i) => ({ id: `c${i + 1}`, text: right.get(id)! }))
			};
		}
		case 'numeric':
			return { ...base, unit: q.unit };
		default:
			return base;
	}
}

const REVIEW_RANK = { score: 0, which: 1, answers: 2, explanations: 3 } as const;

function correctAnswerText(q: Question): string {
	switch (q.type) {
		case 'single':
		case 'multiple':
			return q.options
				.filter((o) => o.correct)
				.map((o) => o.text)
				.join('; ');
		case 'truefalse':
			return q.answer ? 'True' : 'False';
		case 'ordering':
			return q.items.map((i, n) => `${n + 1}. ${i.text}`).join(' ');
		case 'matching':
			return q.pairs.map((p) => `${p.left} → ${p.right}`).join('; ');
		case 'numeric':
			return `${q.answer}${q.unit ? ` ${q.unit}` : ''}${q.tolerance ? ` (± ${q.tolerance})` : ''}`;
		case 'text':
			return q.accept[0]!;
	}
}

function feedbackFor(q: Question, answer: SavedAnswer, correct: boolean): string[] {
	if (correct) return [];
	if (q.type === 'single' || q.type === 'multiple') {
		const chosen = new Set(
			Array.isArray(answer) ? answer : typeof answer === 'string' ? [answer] : []
		);
		const notes = q.options
			.filter((o) => chosen.has(o.id) && !o.correct && o.feedback)
			.map((o) => o.feedback!);
		return notes.length ? notes : answer === null ? ['You did not answer this question.'] : [];
	}
	return [answer === null ? 'You did not answer this question.' : q.feedback];
}

/**
 * The review of a graded attempt. `answersAllowed` is false while the quiz keeps answers back
 * until the learner has passed or used every attempt.
 */
export function reviewOf(
	attempt: FrozenAttempt,
	settings: QuizSettings,
	answersAllowed: boolean,
	lessonLink: (lessonId: string) => { title: string; url: string } | null
): ReviewItem[] {
	const rank = REVIEW_RANK[settings.review];
	return attempt.questions.map((q) => {
		const result = attempt.results?.[q.id];
		const answer = attempt.answers[q.id] ?? null;
		const correct = Boolean(result?.correct);
		return {
			question: questionView(q, displaySeed(attempt)),
			answer: answerForLearner(q, displaySeed(attempt), answer),
			// With review "score", only the total is shown, not which questions earned points.
			score: rank >= 1 ? (result?.score ?? 0) : undefined,
			correct: rank >= 1 ? correct : undefined,
			feedback: rank >= 1 ? feedbackFor(q, answer, correct) : undefined,
			correctAnswer: rank >= 2 && answersAllowed ? correctAnswerText(q) : undefined,
			explanation: rank >= 3 && answersAllowed ? q.explanation : undefined,
			lesson: lessonLink(q.lesson)
		};
	});
}
