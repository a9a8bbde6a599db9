// Earlier editions of the hip flexor course keep their grades. A regrade (src/lib/server/quiz/
// regrade.ts) grades an old attempt's answers against the current question with the same id, so
// a question the new edition keeps under its old id must keep its answer key; a rewritten question
// gets a new id and old attempts keep the version they answered. The fixture holds the keys of the
// second edition (course version 2), taken from its quiz files when the third edition was written.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Question } from '../../src/lib/quiz/types';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const loaded = loadCourse(path.join(repoRoot, 'courses', 'hip-flexor-pain'));
const course = loaded.course!;
const secondEdition = JSON.parse(
	fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'hip-flexor-pain-v2-keys.json'), 'utf8')
) as Record<string, Record<string, unknown>>;

/** Everything that decides the score of an answer to this question. */
function answerKey(q: Question): unknown {
	switch (q.type) {
		case 'single':
			return { type: q.type, points: q.points, correct: q.options.find((o) => o.correct)!.id };
		case 'multiple':
			// Partial scoring subtracts wrong options chosen, so every option's standing counts.
			return {
				type: q.type,
				points: q.points,
				scoring: q.scoring,
				options: Object.fromEntries(q.options.map((o) => [o.id, o.correct]))
			};
		case 'truefalse':
			return { type: q.type, points: q.points, answer: q.answer };
		case 'ordering':
			return { type: q.type, points: q.points, order: q.items.map((i) => i.id) };
		case 'matching':
			return { type: q.type, points: q.points, pairs: q.pairs.map((p) => p.id).sort() };
		case 'numeric':
			return { type: q.type, points: q.points, answer: q.answer, tolerance: q.tolerance };
		case 'text':
			return {
				type: q.type,
				points: q.points,
				accept: [...q.accept].sort(),
				foldAccents: q.foldAccents
			};
	}
}

describe('the third edition keeps the second edition’s grades', () => {
	const quizzes = [...course.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])), course.finalExam!];

	it('is a new course version', () => {
		expect(course.version).toBe(3);
	});

	it('every question kept under its old id keeps its answer key', () => {
		const changed: string[] = [];
		let kept = 0;
		for (const quiz of quizzes)
			for (const q of quiz.questions) {
				const old = secondEdition[quiz.id]?.[q.id];
				if (old === undefined) continue;
				kept++;
				if (JSON.stringify(answerKey(q)) !== JSON.stringify(old))
					changed.push(
						`${quiz.id}/${q.id}: was ${JSON.stringify(old)}, now ${JSON.stringify(answerKey(q))}`
					);
			}
		expect(kept).toBeGreaterThan(10);
		expect(changed).toEqual([]);
	});
});
