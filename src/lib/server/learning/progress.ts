// Enrolment and progress records: what a learner has done, keyed by stable content ids.
import { and, eq, sql } from 'drizzle-orm';
import { db, type Executor } from '../db';
import { enrolments, lessonProgress, quizAttempts } from '../db/schema';
import type { Course } from '../content/types';
import { findCourse, findQuiz } from '../content/catalog';
import { quizPassed } from '../../quiz/scoring';
import { courseProgress, type CourseProgress, type LearnerRecords } from '../../progress/rules';

export async function enrol(userId: string, course: Course): Promise<void> {
	await db()
		.insert(enrolments)
		.values({ userId, courseId: course.id, courseVersion: course.version })
		.onConflictDoNothing();
}

export async function enrolment(userId: string, courseId: string, executor: Executor = db()) {
	const [row] = await executor
		.select()
		.from(enrolments)
		.where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)));
	return row;
}

export async function enrolmentsOf(userId: string) {
	return db().select().from(enrolments).where(eq(enrolments.userId, userId));
}

/**
 * A learner's records in one round trip: their enrolments, the lessons they marked done and every
 * graded attempt, in one course or (courseId null) in all of them.
 */
export function recordRows(userId: string, courseId: string | null, executor: Executor = db()) {
	const inCourse = courseId === null ? sql`` : sql` and course_id = ${courseId}`;
	return executor.execute<
		RecordRow & { kind: 'enrolment' | 'lesson' | 'quiz'; course: string }
	>(sql`
		select 'enrolment' as kind, course_id as course, course_id as id, null as version,
		       null::real as percent, null::timestamptz as at, null::boolean as passed
		  from ${enrolments} where user_id = ${userId}${inCourse}
		union all
		select 'lesson', course_id, lesson_id, lesson_version, null, null, null
		  from ${lessonProgress} where user_id = ${userId}${inCourse}
		union all
		select 'quiz', course_id, quiz_id, null, percent, submitted_at, passed from ${quizAttempts}
		 where user_id = ${userId}${inCourse} and submitted_at is not null`);
}

const isEnrolment = (r: { kind: string }) => r.kind === 'enrolment';

/**
 * The lessons marked done and every graded attempt in this course. Whether a quiz is passed
 * follows its grading rule (see quizPassed).
 */
export async function learnerRecords(
	userId: string,
	course: Course,
	executor: Executor = db()
): Promise<LearnerRecords> {
	return recordsFromRows(course, (await courseRecordRows(executor, userId, course)).rows);
}

/**
 * Whether the learner is enrolled in the course, and their lesson and graded-attempt rows in it,
 * in one statement (completion.ts works out progress before and after a change from them).
 */
export async function courseRecordRows(
	executor: Executor,
	userId: string,
	course: Course
): Promise<{ enrolled: boolean; rows: RecordRow[] }> {
	return splitRecordRows(await recordRows(userId, course.id, executor));
}

/** recordRows of one course as courseRecordRows gives them. */
export function splitRecordRows(rows: readonly (RecordRow & { kind: string })[]): {
	enrolled: boolean;
	rows: RecordRow[];
} {
	return { enrolled: rows.some(isEnrolment), rows: rows.filter((r) => !isEnrolment(r)) };
}

export type RecordRow = {
	kind: string;
	id: string;
	version: string | null;
	percent: number | null;
	at: string | null;
	passed: boolean | null;
};

/** Lesson and graded-attempt rows of one learner in one course, as the progress rules read them. */
export function recordsFromRows(course: Course, rows: readonly RecordRow[]): LearnerRecords {
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

/**
 * Every course the learner is enrolled in (that is still published) with their progress, in one
 * round trip whatever the number of courses: the dashboard and the catalogue show them all.
 */
export async function progressOfEnrolled(
	userId: string
): Promise<{ course: Course; progress: CourseProgress }[]> {
	const rows = await recordRows(userId, null);
	const byCourse = new Map<string, RecordRow[]>();
	for (const r of rows) if (isEnrolment(r)) byCourse.set(r.course, []);
	for (const r of rows) if (!isEnrolment(r)) byCourse.get(r.course)?.push(r);
	return [...byCourse].flatMap(([courseId, records]) => {
		const course = findCourse(courseId);
		return course
			? [{ course, progress: courseProgress(course, recordsFromRows(course, records)) }]
			: [];
	});
}

/**
 * The learner's progress in one course, or null when they are not enrolled: the enrolment check
 * and the records in one round trip, for the pages that need both (lesson, quiz, result).
 */
export async function enrolledProgress(
	userId: string,
	course: Course
): Promise<CourseProgress | null> {
	const rows = await recordRows(userId, course.id);
	if (!rows.some(isEnrolment)) return null;
	return courseProgress(
		course,
		recordsFromRows(
			course,
			rows.filter((r) => !isEnrolment(r))
		)
	);
}

export async function progressOf(userId: string, course: Course): Promise<CourseProgress> {
	return courseProgress(course, await learnerRecords(userId, course));
}

/** Progress as a transaction sees it (see completion.ts). */
export async function progressIn(
	executor: Executor,
	userId: string,
	course: Course
): Promise<CourseProgress> {
	return courseProgress(course, await learnerRecords(userId, course, executor));
}
