// What completing a lesson, a quiz, a module and the course records: one function decides, in the
// same transaction as the change, and writes each event to the outbox exactly once, even when the
// last two steps land at the same moment.
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/lib/server/content/types';
import { domainEvents, enrolments, lessonProgress } from '../../src/lib/server/db/schema';
import { changeProgress } from '../../src/lib/server/learning/completion';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import type { Quiz } from '../../src/lib/quiz/types';
import { keyAnswers } from '../support/answer-key';
import { enrolledLearner, finishedLearner, passQuiz, useFixtureCourse } from '../support/builders';
import { freshDatabase } from '../support/fresh-database';

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let course: Course;

beforeAll(async () => {
	({ db } = await freshDatabase());
	course = useFixtureCourse();
});

/** An enrolled learner's id. */
const enrolledLearnerId = async () => (await enrolledLearner(course)).id;

const lesson = (id: string) => course.lessons.find((l) => l.id === id)!;
const quizzes = () => ({
	basics: course.modules[0]!.quiz!,
	advanced: course.modules[1]!.quiz!,
	exam: course.finalExam!
});

const pass = (userId: string, quiz: Quiz) => passQuiz(userId, course, quiz);

async function eventsOf(userId: string) {
	const rows = await db
		.select()
		.from(domainEvents)
		.where(eq(domainEvents.userId, userId))
		.orderBy(asc(domainEvents.occurredAt));
	return rows.map((r) => ({ type: r.type, ...r.payload }));
}

describe('completing a course, step by step', () => {
	it('records each lesson, grade, module and the course once, as the change happens', async () => {
		const user = await enrolledLearnerId();
		const first = await markLessonDone(user, course, lesson('first-steps'));
		expect(first).toMatchObject({
			ok: true,
			events: [{ type: 'lesson.completed', lessonId: 'first-steps' }]
		});
		// Marking it again changes nothing.
		expect(await markLessonDone(user, course, lesson('first-steps'))).toMatchObject({ events: [] });
		await markLessonDone(user, course, lesson('second-steps'));

		const basics = await pass(user, quizzes().basics);
		expect(basics!.events.map((e) => e.type)).toEqual(['attempt.graded', 'module.completed']);
		expect(basics!.events[1]).toEqual({ type: 'module.completed', moduleId: 'basics' });
		expect(basics!.courseCompleted).toBe(false);

		await markLessonDone(user, course, lesson('deep-dive'));
		await pass(user, quizzes().advanced);
		const exam = await pass(user, quizzes().exam);
		expect(exam!.courseCompleted).toBe(true);
		expect(exam!.progress.complete).toBe(true);
		expect(exam!.events.map((e) => e.type)).toEqual(['attempt.graded', 'course.completed']);

		expect((await eventsOf(user)).map((e) => e.type)).toEqual([
			'lesson.completed',
			'lesson.completed',
			'attempt.graded',
			'module.completed',
			'lesson.completed',
			'attempt.graded',
			'module.completed',
			'attempt.graded',
			'course.completed'
		]);
		const [row] = await db
			.select()
			.from(enrolments)
			.where(and(eq(enrolments.userId, user), eq(enrolments.courseId, course.id)));
		expect(row!.completedAt).toBeInstanceOf(Date);
	});

	it('completes the course exactly once when its last two steps are submitted together', async () => {
		const learners = await Promise.all(Array.from({ length: 8 }, () => enrolledLearnerId()));
		const { basics, advanced, exam } = quizzes();
		const examAttempts = await Promise.all(
			learners.map(async (user) => {
				for (const id of ['first-steps', 'second-steps'])
					await markLessonDone(user, course, lesson(id));
				await pass(user, basics);
				// The module-two quiz is passed before its lesson is read: the lesson is a last step.
				await pass(user, advanced);
				const started = await startAttempt(user, course, exam);
				if (!started.ok) throw new Error('not started');
				return started.attempt;
			})
		);
		await Promise.all(
			learners.flatMap((user, i) => [
				markLessonDone(user, course, lesson('deep-dive')),
				submitAttempt(
					user,
					examAttempts[i]!.id,
					course,
					exam,
					keyAnswers(examAttempts[i]!.questions)
				)
			])
		);
		for (const user of learners) {
			const types = (await eventsOf(user)).map((e) => e.type);
			expect(
				types.filter((t) => t === 'course.completed'),
				user
			).toHaveLength(1);
			expect(
				types.filter((t) => t === 'module.completed'),
				user
			).toHaveLength(2);
		}
	});

	it('finishes the course for the shared builder, with one course.completed event', async () => {
		const learner = await finishedLearner(course);
		const [row] = await db.select().from(enrolments).where(eq(enrolments.userId, learner.id));
		expect(row?.completedAt).toBeInstanceOf(Date);
		const events = await eventsOf(learner.id);
		expect(events.filter((e) => e.type === 'course.completed')).toHaveLength(1);
	});

	it('20 parallel submits of one attempt record one grade event', async () => {
		const user = await enrolledLearnerId();
		const { basics } = quizzes();
		const started = await startAttempt(user, course, basics);
		if (!started.ok) throw new Error('not started');
		const answers = keyAnswers(started.attempt.questions);
		await Promise.all(
			Array.from({ length: 20 }, () =>
				submitAttempt(user, started.attempt.id, course, basics, answers)
			)
		);
		expect((await eventsOf(user)).filter((e) => e.type === 'attempt.graded')).toHaveLength(1);
	});

	it('writes nothing, event or record, for a change that fails', async () => {
		const user = await enrolledLearnerId();
		const l = lesson('first-steps');
		await expect(
			changeProgress(user, course, async (tx) => {
				await tx
					.insert(lessonProgress)
					.values({ userId: user, courseId: course.id, lessonId: l.id, lessonVersion: l.version });
				throw new Error('boom');
			})
		).rejects.toThrow('boom');
		expect(await eventsOf(user)).toEqual([]);
		expect(await db.select().from(lessonProgress).where(eq(lessonProgress.userId, user))).toEqual(
			[]
		);
	});
});
