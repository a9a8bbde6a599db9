// Enrolment and progress records: what a learner has done, keyed by stable content ids.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { db } from '../db';
import { enrolments, lessonProgress, quizAttempts } from '../db/schema';
import type { Course, Lesson } from '../content/types';
import { findQuiz } from '../content/catalog';
import { quizPassed } from '../../quiz/scoring';
import { courseProgress, type CourseProgress, type LearnerRecords } from '../../progress/rules';

export async function enrol(userId: string, course: Course): Promise<void> {
	await db()
		.insert(enrolments)
		.values({ userId, courseId: course.id, courseVersion: course.version })
		.onConflictDoNothing();
}

export async function enrolment(userId: string, courseId: string) {
	const [row] = await db()
		.select()
		.from(enrolments)
		.where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)));
	return row;
}

export async function enrolmentsOf(userId: string) {
	return db().select().from(enrolments).where(eq(enrolments.userId, userId));
}

/**
 * One round trip: the lessons marked done and every graded attempt in this course. Whether a
 * quiz is passed follows its grading rule (see quizPassed).
 */
export async function learnerRecords(userId: string, course: Course): Promise<LearnerRecords> {
	const rows = await db().execute<{
		kind: 'lesson' | 'quiz';
		id: string;
		version: string | null;
		percent: number | null;
		at: string | null;
		passed: boolean | null;
	}>(sql`
		select 'lesson' as kind, lesson_id as id, lesson_version as version, null::real as percent,
		       null::timestamptz as at, null::boolean as passed
		  from ${lessonProgress} where user_id = ${userId} and course_id = ${course.id}
		union all
		select 'quiz', quiz_id, null, percent, submitted_at, passed from ${quizAttempts}
		 where user_id = ${userId} and course_id = ${course.id} and submitted_at is not null`);
	const records: LearnerRecords = { lessonsDone: new Map(), quizzesPassed: new Set() };
	const attempts = new Map<string, { percent: number; submittedAt: Date; passed: boolean }[]>();
	for (const r of rows) {
		if (r.kind === 'lesson') records.lessonsDone.set(r.id, r.version ?? '');
		else {
			const list = attempts.get(r.id) ?? [];
			list.push({
				percent: Number(r.percent),
				submittedAt: new Date(r.at!),
				passed: Boolean(r.passed)
			});
			attempts.set(r.id, list);
		}
	}
	for (const [quizId, list] of attempts) {
		const quiz = findQuiz(course, quizId)?.quiz;
		if (quiz && quizPassed(list, quiz.settings.grade, quiz.settings.passPercent))
			records.quizzesPassed.add(quizId);
	}
	return records;
}

export async function progressOf(userId: string, course: Course): Promise<CourseProgress> {
	return courseProgress(course, await learnerRecords(userId, course));
}

export type MarkDoneResult = { ok: true } | { ok: false; reason: 'not-enrolled' };

export async function markLessonDone(
	userId: string,
	course: Course,
	lesson: Lesson
): Promise<MarkDoneResult> {
	if (!(await enrolment(userId, course.id))) return { ok: false, reason: 'not-enrolled' };
	await db()
		.insert(lessonProgress)
		.values({ userId, courseId: course.id, lessonId: lesson.id, lessonVersion: lesson.version })
		.onConflictDoUpdate({
			target: [lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonId],
			set: { lessonVersion: lesson.version }
		});
	await recordCompletion(userId, course);
	return { ok: true };
}

/** Stamps the enrolment complete the first time the rules say so. */
export async function recordCompletion(userId: string, course: Course): Promise<CourseProgress> {
	const progress = await progressOf(userId, course);
	if (progress.complete) {
		await db()
			.update(enrolments)
			.set({ completedAt: new Date() })
			.where(
				and(
					eq(enrolments.userId, userId),
					eq(enrolments.courseId, course.id),
					isNull(enrolments.completedAt)
				)
			);
	}
	return progress;
}
