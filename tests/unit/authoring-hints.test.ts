// Hints to authors that are not errors: the course's quizzes fed to the item-writing checks, with
// file and line. The checks themselves are tested in item-checks.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	authoringHints,
	formatHint,
	quizItems
} from '../../src/lib/server/content/authoring-hints';
import { keyPosition } from '../../src/lib/server/content/item-checks';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Quiz } from '../../src/lib/quiz/types';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const { course } = loadCourse(
	path.join(repoRoot, 'tests', 'fixtures', 'courses', 'fixture-course')
);
const basics = course!.modules[0]!.quiz!;

describe('correct option always at one place', () => {
	it("warns on a quiz whose choice questions all lead with the key, naming the quiz's file and line", () => {
		const hints = authoringHints(course!).filter((h) => h.check === 'key-position');
		expect(hints).toHaveLength(1);
		expect(hints[0]!.message).toMatch(/all 2 choice questions of "basics-quiz".*is first/);
		expect(formatHint(hints[0]!, repoRoot)).toBe(
			`${path.join('tests', 'fixtures', 'courses', 'fixture-course', '01-basics', 'quiz.yaml')}:7: ` +
				`[key-position] ${hints[0]!.message}`
		);
	});

	it('is quiet once one question puts the key elsewhere, or with a single choice question', () => {
		const moved: Quiz = {
			...basics,
			questions: basics.questions.map((q) =>
				q.type === 'single' ? { ...q, options: [...q.options].reverse() } : q
			)
		};
		expect(keyPosition(quizItems([moved], 'x'))).toEqual([]);
		expect(
			keyPosition(quizItems([{ ...basics, questions: basics.questions.slice(0, 1) }], 'x'))
		).toEqual([]);
	});
});
