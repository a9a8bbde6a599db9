// Enrolment and progress on PostgreSQL, with the fixture course (2 modules: basics with
// first-steps and second-steps, advanced with deep-dive; a quiz per module and a final exam).
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { findCourse, useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course, Lesson } from '../../src/lib/server/content/types';
import { enrolments, lessonProgress, quizAttempts } from '../../src/lib/server/db/schema';
import { recordCompletion } from '../../src/lib/server/learning/completion';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import {
	enrol,
	enrolment,
	enrolmentsOf,
	learnerRecords,
	progressOf,
	progressOfEnrolled
} from '../../src/lib/server/learning/progress';
import { countStatements } from '../support/counted-database';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let sql: Awaited<ReturnType<typeof freshDatabase>>['sql'];
let course: Course;

beforeAll(async () => {
	({ db, sql } = await freshDatabase());
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(`Fixture course: ${JSON.stringify(loaded.problems)}`);
	course = loaded.course;
	useCourses([course]);
});

let users = 0;
async function newLearner(): Promise<string> {
	users++;
	const result = await createUser({
		name: `Learner ${users}`,
		email: `learner-${users}@example.com`,
		password: 'plum-tractor-71'
	});
	if (!result.ok) throw new Error(result.message);
	return result.value.id;
}

const lesson = (id: string): Lesson => {
	const found = course.lessons.find((l) => l.id === id);
	if (!found) throw new Error(`No lesson ${id}`);
	return found;
};

let attemptNumber = 0;
/** A graded attempt, written straight to the table (the quiz engine is tested elsewhere). */
async function attempt(
	userId: string,
	quizId: string,
	passed: boolean,
	percent = passed ? 100 : 0
) {
	await db.insert(quizAttempts).values({
		userId,
		courseId: course.id,
		quizId,
		number: ++attemptNumber,
		quizVersion: 'x',
		questions: [],
		answers: {},
		submittedAt: new Date(),
		score: percent / 100,
		maxScore: 1,
		percent,
		passed,
		results: {}
	});
}
const pass = (userId: string, quizId: string) => attempt(userId, quizId, true);

async function done(userId: string, ...lessonIds: string[]) {
	for (const id of lessonIds)
		expect(await markLessonDone(userId, course, lesson(id))).toMatchObject({ ok: true });
}

async function completedAt(userId: string) {
	return (await enrolment(userId, course.id))?.completedAt ?? null;
}

const URL = {
	first: '/courses/fixture-course/basics/first-steps',
	second: '/courses/fixture-course/basics/second-steps',
	basicsQuiz: '/courses/fixture-course/basics/quiz',
	deep: '/courses/fixture-course/advanced/deep-dive',
	advancedQuiz: '/courses/fixture-course/advanced/quiz',
	exam: '/courses/fixture-course/exam'
};

describe('enrolment', () => {
	it('serves the fixture course from the catalogue', () => {
		expect(findCourse('fixture-course')).toBe(course);
	});

	it('is idempotent', async () => {
		const user = await newLearner();
		await enrol(user, course);
		await enrol(user, course);
		const rows = await enrolmentsOf(user);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			userId: user,
			courseId: 'fixture-course',
			courseVersion: 1,
			completedAt: null
		});
	});

	it('is needed before a lesson can be marked done', async () => {
		const user = await newLearner();
		expect(await markLessonDone(user, course, lesson('first-steps'))).toEqual({
			ok: false,
			reason: 'not-enrolled'
		});
		expect(
			await db.select().from(lessonProgress).where(eq(lessonProgress.userId, user))
		).toHaveLength(0);
		expect((await progressOf(user, course)).stepsDone).toBe(0);
		await enrol(user, course);
		expect(await markLessonDone(user, course, lesson('first-steps'))).toMatchObject({ ok: true });
	});
});

describe('progress', () => {
	it('records the lesson version and is idempotent', async () => {
		const user = await newLearner();
		await enrol(user, course);
		await done(user, 'first-steps', 'first-steps');
		const rows = await db
			.select()
			.from(lessonProgress)
			.where(and(eq(lessonProgress.userId, user), eq(lessonProgress.courseId, course.id)));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			lessonId: 'first-steps',
			lessonVersion: lesson('first-steps').version
		});
	});

	it('rises with each lesson done', async () => {
		const user = await newLearner();
		await enrol(user, course);
		const start = await progressOf(user, course);
		expect(start).toMatchObject({ stepsDone: 0, stepsTotal: 6, percent: 0, complete: false });
		const seen = [start.percent];
		for (const id of ['first-steps', 'second-steps', 'deep-dive']) {
			await done(user, id);
			seen.push((await progressOf(user, course)).percent);
		}
		expect(seen).toEqual([0, 16, 33, 50]);
	});

	it('keeps a module open until its quiz is passed; failed and open attempts do not count', async () => {
		const user = await newLearner();
		await enrol(user, course);
		await done(user, 'first-steps', 'second-steps');
		let p = await progressOf(user, course);
		expect(p.modules[0]!.state).toBe('lessons-done');
		expect(p.modules[0]!.quiz).toMatchObject({ id: 'basics-quiz', open: true, passed: false });

		await attempt(user, 'basics-quiz', false, 49);
		// An attempt in progress: not submitted, not graded.
		await db.insert(quizAttempts).values({
			userId: user,
			courseId: course.id,
			quizId: 'basics-quiz',
			number: ++attemptNumber,
			quizVersion: 'x',
			questions: []
		});
		p = await progressOf(user, course);
		expect(p.modules[0]!.state).toBe('lessons-done');
		expect((await learnerRecords(user, course)).quizzesPassed.size).toBe(0);

		// The pass mark of the basics quiz is 50%, and reaching it is enough.
		await attempt(user, 'basics-quiz', true, 50);
		p = await progressOf(user, course);
		expect(p.modules[0]!.state).toBe('done');
		expect(p.modules[0]!.quiz!.passed).toBe(true);
		expect(p.modules[1]!.state).toBe('not-started');
		expect(p.stepsDone).toBe(3);
	});

	it('completes the course only when every module and the final exam are passed, and stamps it then', async () => {
		const user = await newLearner();
		await enrol(user, course);
		await done(user, 'first-steps', 'second-steps', 'deep-dive');
		await pass(user, 'basics-quiz');
		expect((await recordCompletion(user, course)).complete).toBe(false);
		await pass(user, 'advanced-quiz');
		const beforeExam = await recordCompletion(user, course);
		expect(beforeExam).toMatchObject({ complete: false, stepsDone: 5, percent: 83 });
		expect(beforeExam.finalExam).toMatchObject({ open: true, passed: false });
		expect(await completedAt(user)).toBeNull();

		await attempt(user, 'final-exam', false);
		expect((await recordCompletion(user, course)).complete).toBe(false);
		expect(await completedAt(user)).toBeNull();

		await pass(user, 'final-exam');
		// Passing is recorded by the quiz engine; the stamp comes from recordCompletion.
		expect(await completedAt(user)).toBeNull();
		const finished = await recordCompletion(user, course);
		expect(finished).toMatchObject({ complete: true, percent: 100, next: null });
		const stamped = await completedAt(user);
		expect(stamped).toBeInstanceOf(Date);
		expect(Math.abs(stamped!.getTime() - Date.now())).toBeLessThan(60_000);

		// The first completion time is kept.
		await new Promise((r) => setTimeout(r, 20));
		await recordCompletion(user, course);
		expect((await completedAt(user))?.getTime()).toBe(stamped!.getTime());
	});

	it('does not complete anything early when lessons and quizzes are done out of order', async () => {
		const user = await newLearner();
		await enrol(user, course);
		// Module two and the exam first, and the module-one quiz before its lessons.
		await done(user, 'deep-dive');
		await pass(user, 'advanced-quiz');
		await pass(user, 'final-exam');
		await pass(user, 'basics-quiz');
		await done(user, 'second-steps');
		let p = await recordCompletion(user, course);
		expect(p.modules.map((m) => m.state)).toEqual(['in-progress', 'done']);
		expect(p.finalExam).toMatchObject({ passed: true, open: false });
		expect(p.complete).toBe(false);
		expect(p.next).toEqual({ url: URL.first, label: 'First steps' });
		expect(await completedAt(user)).toBeNull();

		// The last missing lesson completes the course, and marking it stamps the enrolment.
		await done(user, 'first-steps');
		p = await progressOf(user, course);
		expect(p.complete).toBe(true);
		expect(await completedAt(user)).toBeInstanceOf(Date);
	});

	it('points next at the first step not done: lesson, then module quiz, then final exam', async () => {
		const user = await newLearner();
		await enrol(user, course);
		const next = async () => (await progressOf(user, course)).next;
		expect(await next()).toEqual({ url: URL.first, label: 'First steps' });
		await done(user, 'first-steps');
		expect(await next()).toEqual({ url: URL.second, label: 'Second steps' });
		await done(user, 'second-steps');
		expect(await next()).toEqual({ url: URL.basicsQuiz, label: 'The basics quiz' });
		await pass(user, 'basics-quiz');
		expect(await next()).toEqual({ url: URL.deep, label: 'A deeper dive' });
		await done(user, 'deep-dive');
		expect(await next()).toEqual({ url: URL.advancedQuiz, label: 'Going further quiz' });
		await pass(user, 'advanced-quiz');
		expect(await next()).toEqual({ url: URL.exam, label: 'Final exam' });
		await pass(user, 'final-exam');
		expect(await next()).toBeNull();
	});

	it('keeps a lesson done after it is edited, and flags it as updated since', async () => {
		const user = await newLearner();
		await enrol(user, course);
		await done(user, 'first-steps', 'second-steps');
		const editedLesson = { ...lesson('first-steps'), version: 'edited-version' };
		const swap = (l: Lesson) => (l.id === 'first-steps' ? editedLesson : l);
		const edited: Course = {
			...course,
			lessons: course.lessons.map(swap),
			modules: course.modules.map((m) => ({ ...m, lessons: m.lessons.map(swap) }))
		};
		let p = await progressOf(user, edited);
		expect(p.modules[0]!.lessons.map((l) => [l.id, l.done, l.updatedSinceDone])).toEqual([
			['first-steps', true, true],
			['second-steps', true, false]
		]);
		expect(p.modules[0]!.state).toBe('lessons-done');
		expect(p.stepsDone).toBe(2);
		// The unedited course sees no change.
		p = await progressOf(user, course);
		expect(p.modules[0]!.lessons.every((l) => !l.updatedSinceDone)).toBe(true);
		// Reading the lesson again records the new version.
		await markLessonDone(user, edited, editedLesson);
		p = await progressOf(user, edited);
		expect(p.modules[0]!.lessons[0]).toMatchObject({ done: true, updatedSinceDone: false });
	});

	it("never shows one learner's records in another's progress", async () => {
		const a = await newLearner();
		const b = await newLearner();
		await enrol(a, course);
		await enrol(b, course);
		await done(a, 'first-steps', 'second-steps', 'deep-dive');
		await pass(a, 'basics-quiz');
		await pass(a, 'advanced-quiz');
		await pass(a, 'final-exam');
		expect((await recordCompletion(a, course)).complete).toBe(true);
		expect(await completedAt(a)).toBeInstanceOf(Date);

		const pb = await recordCompletion(b, course);
		expect(pb).toMatchObject({ stepsDone: 0, percent: 0, complete: false });
		expect(pb.next?.url).toBe(URL.first);
		expect(await learnerRecords(b, course)).toEqual({
			lessonsDone: new Map(),
			quizzesPassed: new Set()
		});
		expect(await completedAt(b)).toBeNull();

		await done(b, 'deep-dive');
		const ra = await learnerRecords(a, course);
		expect([...ra.lessonsDone.keys()].sort()).toEqual(['deep-dive', 'first-steps', 'second-steps']);
		expect([...(await learnerRecords(b, course)).lessonsDone.keys()]).toEqual(['deep-dive']);
		// Records are per course as well as per learner.
		expect((await learnerRecords(a, { ...course, id: 'another-course' })).lessonsDone.size).toBe(0);
		const rows = await db.select().from(enrolments).where(eq(enrolments.userId, b));
		expect(rows).toHaveLength(1);
	});
});

describe('progress in every enrolled course (dashboard, catalogue)', () => {
	it('is one statement for all courses and agrees with progress course by course', async () => {
		const wait = loadCourse(
			path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'wait-course')
		).course!;
		useCourses([course, wait]);
		const user = await newLearner();
		const other = await newLearner();
		await enrol(user, course);
		await enrol(user, wait);
		await enrol(other, course);
		await done(user, 'first-steps', 'second-steps');
		await pass(user, 'basics-quiz');
		await done(other, 'first-steps');

		const expected = [
			{ course, progress: await progressOf(user, course) },
			{ course: wait, progress: await progressOf(user, wait) }
		];
		expect(expected[0]!.progress.stepsDone).toBe(3);

		const countSent = countStatements(sql);
		await countSent(() => progressOfEnrolled(other)); // the new connection's first type lookup
		let found: Awaited<ReturnType<typeof progressOfEnrolled>> = [];
		const sent = await countSent(async () => (found = await progressOfEnrolled(user)));
		expect(sent).toHaveLength(1);
		expect(found.sort((a, b) => a.course.id.localeCompare(b.course.id))).toEqual(
			expected.sort((a, b) => a.course.id.localeCompare(b.course.id))
		);
		// A course no longer published drops out rather than failing the page.
		useCourses([wait]);
		expect((await progressOfEnrolled(user)).map((e) => e.course.id)).toEqual([wait.id]);
		useCourses([course]);
	});
});
