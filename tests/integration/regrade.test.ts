// Regrading after a key change: a dry run lists whose grade changes; applying it updates the
// attempts, records who, when and why, and leaves attempts on the current version alone.
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { gradeChanges, quizAttempts } from '../../src/lib/server/db/schema';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { enrol, progressOf } from '../../src/lib/server/learning/progress';
import { startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import { applyRegrade, gradeHistory, previewRegrade } from '../../src/lib/server/quiz/regrade';
import type { Quiz } from '../../src/lib/quiz/types';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let course: Course;
let quiz: Quiz;

beforeAll(async () => {
	({ db } = await freshDatabase());
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(JSON.stringify(loaded.problems));
	course = loaded.course;
	useCourses([course]);
	quiz = course.modules[0]!.quiz!;
});

async function user(email: string) {
	const r = await createUser({ name: email.split('@')[0]!, email, password: 'plum-tractor-71' });
	if (!r.ok) throw new Error(r.message);
	return r.value.id;
}

/** A version of the basics quiz where "Chill the pot" became the keyed answer to warm-first. */
function editedQuiz(): Quiz {
	return {
		...quiz,
		version: 'edited-version',
		questions: quiz.questions.map((q) =>
			q.id === 'warm-first' && q.type === 'single'
				? { ...q, options: q.options.map((o) => ({ ...o, correct: o.id === 'b' })) }
				: q
		)
	};
}

async function takeQuiz(userId: string, warmFirst: string, freshWater: boolean | null = null) {
	await enrol(userId, course);
	for (const lesson of course.modules[0]!.lessons) await markLessonDone(userId, course, lesson);
	const started = await startAttempt(userId, course, quiz);
	if (!started.ok) throw new Error('could not start');
	return (await submitAttempt(userId, started.attempt.id, course, quiz, {
		'warm-first': warmFirst,
		'brew-steps': null,
		'fresh-water': freshWater
	}))!.attempt;
}

describe('regrade', () => {
	it('previews, applies with an audit record, and the learner sees the new grade', async () => {
		const admin = await user('admin@example.com');
		const chose_b = await user('chose-b@example.com');
		const chose_a = await user('chose-a@example.com');
		const before_b = await takeQuiz(chose_b, 'b');
		const before_a = await takeQuiz(chose_a, 'a');
		expect(before_b.score).toBe(0);
		expect(before_a.score).toBe(1);

		// Nothing changes while the quiz is unchanged.
		expect(await previewRegrade(course, quiz)).toEqual([]);

		const edited = editedQuiz();
		const preview = await previewRegrade(course, edited);
		expect(preview.map((c) => [c.email, c.oldScore, c.newScore]).sort()).toEqual([
			['chose-a@example.com', 1, 0],
			['chose-b@example.com', 0, 1]
		]);
		// A dry run writes nothing.
		const [still] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, before_b.id));
		expect(still!.score).toBe(0);
		expect(await db.select().from(gradeChanges)).toHaveLength(0);

		const applied = await applyRegrade(course, edited, admin, 'Key for warm-first corrected');
		expect(applied).toHaveLength(2);
		const [after] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, before_b.id));
		expect(after).toMatchObject({ score: 1, quizVersion: 'edited-version' });
		const history = await gradeHistory(before_b.id);
		expect(history).toEqual([
			expect.objectContaining({
				reason: 'Key for warm-first corrected',
				oldScore: 0,
				newScore: 1,
				by: 'admin'
			})
		]);
		// Applied once: a second preview finds nothing left to change.
		expect(await previewRegrade(course, edited)).toEqual([]);
	});

	it('counts the regraded grade in progress', async () => {
		const admin = await user('admin2@example.com');
		const learner = await user('progress@example.com');
		// warm-first wrong under the old key, fresh-water right: 1 of 3 points, below 50%.
		const before = await takeQuiz(learner, 'b', true);
		expect(before.passed).toBe(false);
		expect((await progressOf(learner, course)).modules[0]!.quiz!.passed).toBe(false);
		await applyRegrade(course, editedQuiz(), admin, 'Corrected key');
		const [after] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, before.id));
		expect(after).toMatchObject({ passed: true });
		expect((await progressOf(learner, course)).modules[0]!.quiz!.passed).toBe(true);
	});
});
