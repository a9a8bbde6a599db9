// What a review card does when the course's content changed since it was made: a question that
// left the course retires its card; a changed key starts the card afresh on the new question
// (never graded against the old key); a reworded question keeps its schedule.
import type { Question } from '../quiz/types';

/** The key of a question, in a form that compares equal exactly when the right answer is the same. */
export function answerKey(q: Question): string {
	switch (q.type) {
		case 'single':
		case 'multiple':
			return JSON.stringify([
				q.type,
				q.options
					.filter((o) => o.correct)
					.map((o) => o.id)
					.sort()
			]);
		case 'truefalse':
			return JSON.stringify([q.type, q.answer]);
		case 'ordering':
			return JSON.stringify([q.type, q.items.map((i) => i.id)]);
		case 'matching':
			return JSON.stringify([q.type, q.pairs.map((p) => [p.left, p.right])]);
		case 'numeric':
			return JSON.stringify([q.type, q.answer, q.tolerance]);
		case 'text':
			return JSON.stringify([q.type, q.accept.map((a) => a.trim().toLowerCase()).sort()]);
	}
}

export type Reconciled =
	| { action: 'keep' }
	| { action: 'retire' }
	/** Same key, new wording: store the new question, keep the schedule. */
	| { action: 'update'; question: Question }
	/** New key: store the new question and schedule it as a new card. */
	| { action: 'reset'; question: Question };

export function reconcileCard(frozen: Question, current: Question | undefined): Reconciled {
	if (!current || current.type !== frozen.type)
		return current ? { action: 'reset', question: current } : { action: 'retire' };
	if (answerKey(current) !== answerKey(frozen)) return { action: 'reset', question: current };
	return JSON.stringify(current) === JSON.stringify(frozen)
		? { action: 'keep' }
		: { action: 'update', question: current };
}
