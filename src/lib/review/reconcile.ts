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

/** The question with its options in id order: an attempt's shuffle is not a change of content. */
const canonical = (q: Question) =>
	stable(
		q.type === 'single' || q.type === 'multiple'
			? { ...q, options: [...q.options].sort((a, b) => a.id.localeCompare(b.id)) }
			: q
	);

/** JSON with object keys sorted, so two equal questions compare equal whatever their key order. */
function stable(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
			.map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

export function reconcileCard(frozen: Question, current: Question | undefined): Reconciled {
	if (!current || current.type !== frozen.type)
		return current ? { action: 'reset', question: current } : { action: 'retire' };
	if (answerKey(current) !== answerKey(frozen)) return { action: 'reset', question: current };
	return canonical(current) === canonical(frozen)
		? { action: 'keep' }
		: { action: 'update', question: current };
}
