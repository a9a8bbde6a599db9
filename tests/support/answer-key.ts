// The key of a question in authored ids, as the grader reads it: for tests that need a right
// answer to any question without writing one out by hand.
import type { Answer } from '../../src/lib/quiz/answers';
import type { Question } from '../../src/lib/quiz/types';

export function keyOf(q: Question): Answer {
	switch (q.type) {
		case 'single':
			return q.options.find((o) => o.correct)!.id;
		case 'multiple':
			return q.options.filter((o) => o.correct).map((o) => o.id);
		case 'truefalse':
			return q.answer;
		case 'ordering':
			return q.items.map((i) => i.id);
		case 'matching':
			return Object.fromEntries(q.pairs.map((p) => [p.id, p.id]));
		case 'numeric':
			return q.answer;
		case 'text':
			return q.accept[0]!;
	}
}

/** Every question of a quiz (or attempt) answered right. */
export const keyAnswers = (questions: readonly Question[]) =>
	Object.fromEntries(questions.map((q) => [q.id, keyOf(q)]));
