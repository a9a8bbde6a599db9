// Turns frozen questions into what the learner may see: during an attempt no keys at all;
// after it, as much as the quiz's review policy allows.
import { displayOrder, seededRandom } from '../../quiz/arrange';
import type { Question, QuizSettings } from '../../quiz/types';
import type { QuestionView, ReviewItem, SavedAnswer } from '../../quiz/views';
import { displaySeed, type FrozenAttempt } from './attempts';
import { LearnerIds } from './learner-ids';

// Display order comes from the attempt's secret seed: stable across reloads, and not
// reproducible in the browser (a seed the page could see would let it undo the shuffle).
const orderFor = (q: Question, seed: string) => displayOrder(q, seededRandom(`${seed}:${q.id}`));

/** A saved answer in the ids the learner's page uses (see learner-ids.ts). */
export const answerForLearner = (q: Question, seed: string, answer: unknown): SavedAnswer =>
	new LearnerIds(q, seed).answer(answer);

/** A question as the learner's page shows it: no key, and no authored option or item ids. */
export function questionView(q: Question, seed: string): QuestionView {
	const ids = new LearnerIds(q, seed);
	const order = orderFor(q, seed);
	const base = { id: q.id, promptHtml: q.promptHtml, points: q.points };
	switch (q.type) {
		case 'single':
		case 'multiple':
			return {
				...base,
				type: q.type,
				choices: q.options.map((o) => ({ id: ids.toLearner('option', o.id), text: o.text }))
			};
		case 'ordering': {
			const byId = new Map(q.items.map((i) => [i.id, i.text]));
			return {
				...base,
				type: q.type,
				choices: order.map((id) => ({ id: ids.toLearner('step', id), text: byId.get(id)! }))
			};
		}
		case 'matching': {
			const right = new Map(q.pairs.map((p) => [p.id, p.right]));
			return {
				...base,
				type: q.type,
				prompts: q.pairs.map((p) => ({ id: ids.toLearner('item', p.id), text: p.left })),
				choices: order.map((id) => ({ id: ids.toLearner('answer', id), text: right.get(id)! }))
			};
		}
		case 'numeric':
			return { ...base, type: q.type, unit: q.unit };
		case 'truefalse':
		case 'text':
			return { ...base, type: q.type };
	}
}

const REVIEW_RANK = { score: 0, which: 1, answers: 2, explanations: 3 } as const;

export function correctAnswerText(q: Question): string {
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

const NO_ANSWER = 'You did not answer this question.';

/**
 * Notes on a wrong answer. Authors' feedback usually states the right answer, so it follows the
 * same policy as the answers: while they are held back, only "no answer" is said.
 */
export function feedbackFor(
	q: Question,
	answer: SavedAnswer,
	correct: boolean,
	answersAllowed: boolean
): string[] {
	if (correct) return [];
	if (!answersAllowed) return answer === null ? [NO_ANSWER] : [];
	if (q.type === 'single' || q.type === 'multiple') {
		const chosen = new Set(
			Array.isArray(answer) ? answer : typeof answer === 'string' ? [answer] : []
		);
		const notes = q.options
			.filter((o) => chosen.has(o.id) && !o.correct && o.feedback)
			.map((o) => o.feedback!);
		return notes.length ? notes : answer === null ? [NO_ANSWER] : [];
	}
	return [answer === null ? NO_ANSWER : q.feedback];
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
			feedback: rank >= 1 ? feedbackFor(q, answer, correct, answersAllowed) : undefined,
			correctAnswer: rank >= 2 && answersAllowed ? correctAnswerText(q) : undefined,
			explanation: rank >= 3 && answersAllowed ? q.explanation : undefined,
			lesson: q.lesson === undefined ? null : lessonLink(q.lesson)
		};
	});
}
