// The answer a learner gives to each question type, and the checking of untrusted input
// (a JSON body or a plain HTML form) before anything is stored or scored.
import type { QuestionFile } from '../content/schema';

/**
 * single → option id; multiple → distinct option ids; truefalse → boolean;
 * ordering → every item id, in the learner's order; matching → pair id (left) → pair id (right);
 * numeric → finite number; text → string.
 */
export type Answer = string | string[] | boolean | number | Record<string, string>;

export type AnswerCheck = { ok: true; answer: Answer | null } | { ok: false; message: string };

/** Same limit as the textarea's maxlength, which also counts UTF-16 code units. */
export const MAX_TEXT_LENGTH = 500;

const answered = (answer: Answer | null): AnswerCheck => ({ ok: true, answer });
const refused = (message: string): AnswerCheck => ({ ok: false, message });

function isUnanswered(value: unknown): boolean {
	return value === undefined || value === null || value === '' || isEmptyArray(value);
}

function isEmptyArray(value: unknown): boolean {
	return Array.isArray(value) && value.length === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a list of ids against the question's own ids; the length check comes first so huge input costs nothing. */
function checkIdList(
	value: unknown,
	known: readonly string[],
	noun: string
): { ok: true; ids: string[] } | { ok: false; message: string } {
	if (!Array.isArray(value)) return { ok: false, message: `Choose ${noun}s from the list.` };
	if (value.length > known.length)
		return { ok: false, message: `There are more choices than this question has ${noun}s.` };
	const allowed = new Set(known);
	const seen = new Set<string>();
	for (const id of value as unknown[]) {
		if (typeof id !== 'string') return { ok: false, message: `Choose ${noun}s from the list.` };
		if (!allowed.has(id))
			return { ok: false, message: `One of the ${noun}s chosen is not part of this question.` };
		if (seen.has(id)) return { ok: false, message: `The same ${noun} was chosen twice.` };
		seen.add(id);
	}
	return { ok: true, ids: [...seen] };
}

function checkMatching(
	q: Extract<QuestionFile, { type: 'matching' }>,
	value: unknown
): AnswerCheck {
	if (!isRecord(value)) return refused('Match each item from the lists.');
	const keys = Object.keys(value);
	if (keys.length > q.pairs.length)
		return refused('There are more matches than this question has items.');
	const ids = new Set(q.pairs.map((p) => p.id));
	const entries: [string, string][] = [];
	for (const key of keys) {
		if (!ids.has(key)) return refused('One of the matched items is not part of this question.');
		const chosen = value[key];
		// '' is what an untouched select sends: that item is simply left unmatched.
		if (chosen === '' || chosen === null || chosen === undefined) continue;
		if (typeof chosen !== 'string' || !ids.has(chosen))
			return refused('One of the chosen matches is not part of this question.');
		entries.push([key, chosen]);
	}
	// fromEntries defines own properties, so no key can reach the prototype.
	return answered(entries.length === 0 ? null : Object.fromEntries(entries));
}

/** Validates an untrusted answer for `q`; a malformed one is refused with a learner-readable message. */
export function validateAnswer(q: QuestionFile, value: unknown): AnswerCheck {
	if (isUnanswered(value)) return answered(null);
	switch (q.type) {
		case 'single': {
			if (typeof value !== 'string') return refused('Choose one option.');
			return q.options.some((o) => o.id === value)
				? answered(value)
				: refused('That choice is not an option of this question.');
		}
		case 'multiple': {
			const r = checkIdList(
				value,
				q.options.map((o) => o.id),
				'option'
			);
			return r.ok ? answered(r.ids) : refused(r.message);
		}
		case 'truefalse':
			return typeof value === 'boolean' ? answered(value) : refused('Answer true or false.');
		case 'ordering': {
			const r = checkIdList(
				value,
				q.items.map((i) => i.id),
				'step'
			);
			if (!r.ok) return refused(r.message);
			// A partial order cannot be graded fairly, so every step must be placed.
			return r.ids.length === q.items.length
				? answered(r.ids)
				: refused('Put every step in order.');
		}
		case 'matching':
			return checkMatching(q, value);
		case 'numeric':
			return typeof value === 'number' && Number.isFinite(value)
				? answered(value)
				: refused('Enter a number.');
		case 'text': {
			if (typeof value !== 'string') return refused('Type your answer as text.');
			if (value.length > MAX_TEXT_LENGTH)
				return refused(`Keep your answer to ${MAX_TEXT_LENGTH} characters or fewer.`);
			// Text of only spaces is no answer, like an empty box.
			return answered(value.trim() === '' ? null : value);
		}
	}
}

/** The field name(s) a question uses in the no-JavaScript form; shared with the form markup. */
export const fieldName = (questionId: string, part?: string): string =>
	part === undefined ? `q.${questionId}` : `q.${questionId}.${part}`;

// "12", "-3", "12.5" and the comma decimal "12,5"; nothing else, so "12abc" or "1e3" is refused.
const DECIMAL = /^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

function parseOrderingPositions(
	q: Extract<QuestionFile, { type: 'ordering' }>,
	positions: string[]
): AnswerCheck {
	if (positions.every((p) => p === '')) return answered(null);
	const n = q.items.length;
	const order: string[] = [];
	for (const [i, item] of q.items.entries()) {
		const raw = positions[i] ?? '';
		const position = /^\d+$/.test(raw) ? Number(raw) : NaN;
		if (!(position >= 1 && position <= n) || order[position - 1] !== undefined)
			return refused('Give each step a different position.');
		order[position - 1] = item.id;
	}
	return validateAnswer(q, order);
}

/** Reads the answer to `q` from a submitted HTML form (see fieldName), then validates it. */
export function parseFormAnswer(
	q: QuestionFile,
	fieldValues: (key: string) => string[]
): AnswerCheck {
	const name = fieldName(q.id);
	if (q.type === 'multiple') return validateAnswer(q, fieldValues(name));
	if (q.type === 'ordering')
		return parseOrderingPositions(
			q,
			q.items.map((item) => fieldValues(fieldName(q.id, item.id))[0] ?? '')
		);
	if (q.type === 'matching') {
		const chosen = q.pairs.map((p) => [p.id, fieldValues(fieldName(q.id, p.id))[0] ?? '']);
		return validateAnswer(q, Object.fromEntries(chosen));
	}

	const values = fieldValues(name);
	// One field, one value: a second value means the form was tampered with.
	if (values.length > 1) return refused('Give one answer only.');
	const value = values[0] ?? '';
	if (q.type === 'truefalse') {
		if (value === '') return answered(null);
		if (value === 'true' || value === 'false') return answered(value === 'true');
		return refused('Answer true or false.');
	}
	if (q.type === 'numeric') {
		const trimmed = value.trim();
		if (trimmed === '') return answered(null);
		if (!DECIMAL.test(trimmed)) return refused('Enter a number.');
		return validateAnswer(q, Number(trimmed.replace(',', '.')));
	}
	return validateAnswer(q, value);
}
