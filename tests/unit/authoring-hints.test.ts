// Hints to authors that are not errors: the correct option always listed first.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authoringHints, keyAlwaysFirst } from '../../src/lib/server/content/authoring-hints';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Quiz } from '../../src/lib/quiz/types';

const { course } = loadCourse(
	path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course')
);
const basics = course!.modules[0]!.quiz!;

describe('correct option always first', () => {
	it("warns on a quiz whose choice questions all lead with the key, naming the quiz's file", () => {
		expect(keyAlwaysFirst(basics)).toMatch(/all 2 choice questions of "basics-quiz"/);
		const hints = authoringHints(course!);
		expect(hints.map((h) => h.message)).toEqual([keyAlwaysFirst(basics)]);
		expect(hints[0]!.file).toMatch(/01-basics\/quiz\.yaml$/);
	});

	it('is quiet once one question puts the key elsewhere, or with a single choice question', () => {
		const moved: Quiz = {
			...basics,
			questions: basics.questions.map((q) =>
				q.type === 'single' ? { ...q, options: [...q.options].reverse() } : q
			)
		};
		expect(keyAlwaysFirst(moved)).toBeNull();
		expect(keyAlwaysFirst({ ...basics, questions: basics.questions.slice(0, 1) })).toBeNull();
	});
});
