// The ids a learner's page uses for a question's options, ordering steps and matching items.
// Authored ids often give the key away (the right option is "a"; steps are listed in order;
// a matching pair's two sides share one id), so the page gets ids derived from the attempt's
// secret seed instead: they cannot be predicted from anything on the page, differ between
// attempts, and are translated back to authored ids when answers come in.
import { createHmac } from 'node:crypto';
import { fieldName } from '../../quiz/answers';
import type { Question } from '../../quiz/types';
import type { SavedAnswer } from '../../quiz/views';

/** What an id names: an option, an ordering step, a matching item (left) or answer (right). */
export type IdRole = 'option' | 'step' | 'item' | 'answer';

/** 64 bits of an HMAC keyed by the seed: unique within a question for any sane number of choices. */
export function learnerId(seed: string, questionId: string, role: IdRole, authoredId: string) {
	return createHmac('sha256', seed)
		.update(`${questionId}\0${role}\0${authoredId}`)
		.digest('hex')
		.slice(0, 16);
}

const authoredIds = (q: Question, role: IdRole): string[] => {
	switch (q.type) {
		case 'single':
		case 'multiple':
			return role === 'option' ? q.options.map((o) => o.id) : [];
		case 'ordering':
			return role === 'step' ? q.items.map((i) => i.id) : [];
		case 'matching':
			return role === 'item' || role === 'answer' ? q.pairs.map((p) => p.id) : [];
		default:
			return [];
	}
};

/** Both directions of one question's id translation for one attempt. */
export class LearnerIds {
	readonly #toLearner = new Map<string, string>();
	readonly #toAuthored = new Map<string, string>();

	constructor(
		readonly question: Question,
		readonly seed: string
	) {
		for (const role of ['option', 'step', 'item', 'answer'] as const)
			for (const id of authoredIds(question, role)) {
				const mapped = learnerId(seed, question.id, role, id);
				this.#toLearner.set(`${role}:${id}`, mapped);
				this.#toAuthored.set(`${role}:${mapped}`, id);
			}
	}

	/** The page's id for an authored id (an id the question does not have maps to ''). */
	toLearner(role: IdRole, authoredId: string): string {
		return this.#toLearner.get(`${role}:${authoredId}`) ?? '';
	}

	/** The authored id for a page id; '' stays unanswered, anything unknown stays invalid. */
	toAuthored(role: IdRole, id: string): string {
		if (id === '') return '';
		return this.#toAuthored.get(`${role}:${id}`) ?? `unknown:${id}`;
	}

	/** A stored answer in the page's ids. */
	answer(answer: unknown): SavedAnswer {
		if (answer === undefined || answer === null) return null;
		const q = this.question;
		if ((q.type === 'single' || q.type === 'multiple') && typeof answer === 'string')
			return this.toLearner('option', answer);
		if ((q.type === 'multiple' || q.type === 'ordering') && Array.isArray(answer))
			return answer.map((id) =>
				this.toLearner(q.type === 'ordering' ? 'step' : 'option', String(id))
			);
		if (q.type === 'matching' && typeof answer === 'object' && !Array.isArray(answer))
			return Object.fromEntries(
				Object.entries(answer as Record<string, string>).map(([item, pair]) => [
					this.toLearner('item', item),
					this.toLearner('answer', pair)
				])
			);
		return answer as SavedAnswer;
	}

	/**
	 * Wraps a form's field reader so that parseFormAnswer, which asks for authored field names and
	 * expects authored values, reads the page's names and values.
	 */
	formReader(values: (key: string) => string[]): (key: string) => string[] {
		const q = this.question;
		const partRole: IdRole | null =
			q.type === 'ordering' ? 'step' : q.type === 'matching' ? 'item' : null;
		const valueRole: IdRole | null =
			q.type === 'single' || q.type === 'multiple'
				? 'option'
				: q.type === 'matching'
					? 'answer'
					: null;
		const fieldNames = new Map(
			partRole
				? authoredIds(q, partRole).map((id) => [
						fieldName(q.id, id),
						fieldName(q.id, this.toLearner(partRole, id))
					])
				: []
		);
		return (key) => {
			const read = values(fieldNames.get(key) ?? key);
			return valueRole ? read.map((v) => this.toAuthored(valueRole, v)) : read;
		};
	}
}
