// What a change to a learner's records completes, decided in one place. Every change that can
// move progress (a lesson marked done, an attempt graded, a regrade) runs through
// changeProgress: one transaction that applies the change, works out what it completed, stamps
// the enrolment when the course is complete, and writes each event to the outbox, so handlers
// (certificates, notifications) see exactly what was committed.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { db, inOrder, type Transaction } from '../db';
import { domainEvents, enrolments, type DomainEventType } from '../db/schema';
import { now } from '../clock';
import type { Course } from '../content/types';
import { courseProgress, type CourseProgress } from '../../progress/rules';
import {
	progressIn,
	recordRows,
	recordsFromRows,
	splitRecordRows,
	type RecordRow
} from './progress';
import { issueCertificate } from '../certificates/issue';

export type ProgressEvent =
	| { type: 'lesson.completed'; lessonId: string; lessonVersion: string }
	| {
			type: 'attempt.graded';
			attemptId: string;
			quizId: string;
			percent: number;
			passed: boolean;
	  }
	| { type: 'module.completed'; moduleId: string }
	| {
			type: 'course.completed';
			courseVersion: number;
			completedAt: string;
			certificateId?: string;
	  };

export interface Completion {
	/** Progress after the change. */
	progress: CourseProgress;
	/** What the change did and completed, in order; empty when it changed nothing. */
	events: ProgressEvent[];
	/** True only for the change that completed the course (once per learner and course). */
	courseCompleted: boolean;
	/** The certificate issued by this change, if the course gives one. */
	certificate: { id: string; code: string } | null;
}

/** Modules done after a change that were not done before it. */
export function newlyCompletedModules(before: CourseProgress, after: CourseProgress): string[] {
	const wasDone = new Set(before.modules.filter((m) => m.state === 'done').map((m) => m.id));
	return after.modules.filter((m) => m.state === 'done' && !wasDone.has(m.id)).map((m) => m.id);
}

/** What a change is told about the learner's records as the transaction found them. */
export type ChangeContext = { enrolled: boolean };

/**
 * What a change did. `added` lists the records it added, when adding is all it did (a lesson
 * marked done, an attempt graded): progress after the change is then worked out from the records
 * read before it, without reading them again. A change that alters or removes records (a
 * regrade) leaves `added` out, and the records are read again.
 */
export type Change<T> = {
	result: T;
	events?: ProgressEvent[];
	added?: RecordRow[];
	/**
	 * The change's last statements, not started yet: sent with the completion's own writes in one
	 * round trip (see inOrder), after them (they are the big ones: review cards).
	 */
	writes?: PromiseLike<unknown>[];
};

/**
 * Runs `change` inside an open transaction for one learner and course. Changes for the same
 * learner and course queue on an advisory lock, so two steps finished at once cannot both miss
 * (or both claim) completing the course.
 */
export async function changeProgressIn<T>(
	tx: Transaction,
	userId: string,
	course: Course,
	change: (tx: Transaction, context: ChangeContext) => Promise<Change<T>>
): Promise<{ result: T } & Completion> {
	// The lock and the read in one round trip: the read runs once the lock is held.
	const [, rows] = await inOrder(
		tx.execute(
			sql`select pg_advisory_xact_lock(hashtextextended(${`progress:${userId}:${course.id}`}, 0))`
		),
		recordRows(userId, course.id, tx)
	);
	const found = splitRecordRows(rows);
	const before = courseProgress(course, recordsFromRows(course, found.rows));
	const {
		result,
		events = [],
		added,
		writes = []
	} = await change(tx, { enrolled: found.enrolled });
	// The change's own last writes leave with the completion's first.
	let unsent: readonly PromiseLike<unknown>[] = writes;
	if (!added && unsent.length) {
		// Progress is read again below: the writes go first.
		await inOrder(...unsent);
		unsent = [];
	}
	const progress = added
		? courseProgress(course, recordsFromRows(course, [...found.rows, ...added]))
		: await progressIn(tx, userId, course);
	for (const moduleId of newlyCompletedModules(before, progress))
		events.push({ type: 'module.completed', moduleId });
	let courseCompleted = false;
	let certificate: Completion['certificate'] = null;
	if (progress.complete) {
		const at = now();
		const stamping = tx
			.update(enrolments)
			.set({ completedAt: at })
			.where(
				and(
					eq(enrolments.userId, userId),
					eq(enrolments.courseId, course.id),
					isNull(enrolments.completedAt)
				)
			)
			.returning({ userId: enrolments.userId });
		const [stamped] = await inOrder(stamping, ...unsent);
		unsent = [];
		courseCompleted = stamped.length > 0;
		if (courseCompleted) {
			certificate = await issueCertificate(tx, userId, course, at);
			events.push({
				type: 'course.completed',
				courseVersion: course.version,
				completedAt: at.toISOString(),
				...(certificate ? { certificateId: certificate.id } : {})
			});
		}
	}
	const outbox = events.length
		? [
				tx.insert(domainEvents).values(
					events.map(({ type, ...payload }) => ({
						type: type satisfies DomainEventType,
						userId,
						courseId: course.id,
						payload
					}))
				)
			]
		: [];
	if (unsent.length || outbox.length) await inOrder(...outbox, ...unsent);
	return { result, progress, events, courseCompleted, certificate };
}

/** changeProgressIn in a transaction of its own. */
export function changeProgress<T>(
	userId: string,
	course: Course,
	change: (tx: Transaction, context: ChangeContext) => Promise<Change<T>>
) {
	return db().transaction((tx) => changeProgressIn(tx, userId, course, change));
}

/**
 * Re-checks completion after records were changed outside changeProgress (tests that write
 * attempts directly, a future import): stamps and records what is now complete.
 */
export async function recordCompletion(userId: string, course: Course): Promise<CourseProgress> {
	return (await changeProgress(userId, course, () => Promise.resolve({ result: undefined })))
		.progress;
}
