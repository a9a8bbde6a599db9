// What the learner's page receives about a question: never enough to read the key, in the
// authored ids or in the values the form sends (an outside probe scored 84% on the final exam
// by choosing option "a" everywhere while the page sent authored option ids).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/lib/server/content/load';
import { LearnerIds } from '../../src/lib/server/quiz/learner-ids';
import { answerForLearner, questionView } from '../../src/lib/server/quiz/views';
import { fieldName, parseFormAnswer } from '../../src/lib/quiz/answers';
import { keyOf } from '../support/answer-key';
import { scoreQuestion } from '../../src/lib/quiz/scoring';
import type { Question } from '../../src/lib/quiz/types';
import {
	choicesOf,
	promptsOf,
	type QuestionView,
	type SavedAnswer
} from '../../src/lib/quiz/views';

const root = path.resolve(import.meta.dirname, '..', '..');
const questionsOf = (dir: string): Question[] => {
	const { course } = loadCourse(dir);
	if (!course) throw new Error(`${dir} did not load`);
	return [
		...course.modules.flatMap((m) => m.quiz?.questions ?? []),
		...(course.finalExam?.questions ?? [])
	];
};
const realCourse = questionsOf(path.join(root, 'courses', 'hip-flexor-pain'));
const everyType = questionsOf(path.join(root, 'tests', 'fixtures', 'courses', 'fixture-course'));
const allQuestions = [...realCourse, ...everyType];
const newSeed = () => randomBytes(16).toString('hex');

/** The fields the quiz form (QuestionField.svelte) sends for an answer given in the page's ids. */
function formFields(view: QuestionView, answer: SavedAnswer): Map<string, string[]> {
	const fields = new Map<string, string[]>();
	const name = fieldName(view.id);
	if (view.type === 'ordering' && Array.isArray(answer))
		for (const c of choicesOf(view))
			fields.set(fieldName(view.id, c.id), [String(answer.indexOf(c.id) + 1)]);
	else if (
		view.type === 'matching' &&
		answer &&
		typeof answer === 'object' &&
		!Array.isArray(answer)
	)
		for (const p of promptsOf(view)) fields.set(fieldName(view.id, p.id), [answer[p.id] ?? '']);
	else if (Array.isArray(answer)) fields.set(name, answer);
	else if (answer !== null && typeof answer !== 'object') fields.set(name, [String(answer)]);
	return fields;
}

const submitForm = (q: Question, seed: string, fields: Map<string, string[]>) =>
	parseFormAnswer(
		q,
		new LearnerIds(q, seed).formReader((key) => fields.get(key) ?? [])
	);

/** Every value the page uses for this question: choice and prompt ids. */
const pageIds = (view: QuestionView) => [...choicesOf(view), ...promptsOf(view)].map((c) => c.id);

function authoredIds(q: Question): string[] {
	if (q.type === 'single' || q.type === 'multiple') return q.options.map((o) => o.id);
	if (q.type === 'ordering') return q.items.map((i) => i.id);
	if (q.type === 'matching') return q.pairs.map((p) => p.id);
	return [];
}

describe("the ids a learner's page uses", () => {
	it('covers every question type', () => {
		expect(new Set(allQuestions.map((q) => q.type)).size).toBe(7);
	});

	it('never shows an authored option, step or pair id', () => {
		for (const q of allQuestions) {
			const view = questionView(q, newSeed());
			const json = JSON.stringify(view);
			for (const id of authoredIds(q)) {
				expect(pageIds(view), `${q.id}: ${id}`).not.toContain(id);
				expect(json, `${q.id}: ${id}`).not.toContain(`"${id}"`);
			}
			// A matching item and its answer never share an id.
			if (q.type === 'matching')
				for (const p of promptsOf(view))
					expect(choicesOf(view).map((c) => c.id)).not.toContain(p.id);
		}
	});

	it('sends the key back through the form, translated to authored ids, for full points', () => {
		for (const q of allQuestions) {
			const seed = newSeed();
			const view = questionView(q, seed);
			const key = keyOf(q);
			const onPage = answerForLearner(q, seed, key);
			const parsed = submitForm(q, seed, formFields(view, onPage));
			expect(parsed, q.id).toEqual({ ok: true, answer: key });
			expect(scoreQuestion(q, key).correct).toBe(true);
		}
	});

	it('gives no credit for the authored ids an attacker would guess', () => {
		for (const q of realCourse.filter((x) => x.type === 'single' || x.type === 'multiple')) {
			const key = keyOf(q);
			const guess = new Map([[fieldName(q.id), Array.isArray(key) ? key : [key as string]]]);
			const parsed = submitForm(q, newSeed(), guess);
			expect(parsed.ok, q.id).toBe(false);
		}
	});

	it('differs between attempts: no two of 40 attempts share a value for any right answer', () => {
		for (const q of allQuestions) {
			const ids = authoredIds(q);
			if (!ids.length) continue;
			const mappings = Array.from({ length: 40 }, () => {
				const seed = newSeed();
				return pageIds(questionView(q, seed));
			});
			const everyValue = mappings.flat();
			// Not one value repeats, within an attempt or across attempts.
			expect(new Set(everyValue).size, q.id).toBe(everyValue.length);
		}
	});

	it('is stable within an attempt, so a reload shows the saved answer again', () => {
		const seed = newSeed();
		for (const q of allQuestions) {
			expect(questionView(q, seed)).toEqual(questionView(q, seed));
			const key = keyOf(q);
			expect(answerForLearner(q, seed, key)).toEqual(answerForLearner(q, seed, key));
		}
	});

	it('refuses page ids from another attempt or another question', () => {
		const q = everyType.find((x) => x.type === 'single')!;
		const other = choicesOf(questionView(q, newSeed()))[0]!.id;
		expect(submitForm(q, newSeed(), new Map([[fieldName(q.id), [other]]]))).toMatchObject({
			ok: false
		});
	});

	it('keeps unanswered fields unanswered and nulls as null', () => {
		const seed = newSeed();
		for (const q of allQuestions) {
			expect(answerForLearner(q, seed, undefined)).toBeNull();
			if (q.type !== 'ordering')
				expect(submitForm(q, seed, new Map()), q.id).toEqual({ ok: true, answer: null });
		}
	});
});
