// The attempt lifecycle: start (freezing questions, order and version), save answers as the
// learner goes, and submit (graded once, in one transaction, against the frozen questions).
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gte, isNull, lt, or, sql, type SQLWrapper } from 'drizzle-orm';
import { isUuid } from '../db/ids';
import { builtOnce, db, inOrder, type Transaction } from '../db';
import { quizAttempts, type Role } from '../db/schema';
import { can } from '../auth/can';
import { now } from '../clock';
import type { Course } from '../content/types';
import type { Quiz } from '../../quiz/types';
import { arrangeQuestions, seededRandom } from '../../quiz/arrange';
import type { Answer } from '../../quiz/answers';
import { gradeAnswers, passed as isPassing } from '../../quiz/scoring';
import { retryAt } from '../../quiz/standing';
import { changeProgress, type Completion } from '../learning/completion';
import { effectiveMultiplier } from '../teams/accommodation';
import { cardSchedules, cardsOf } from '../review/cards';

/** Submissions this long after the deadline still count: network and clock slack. */
export const GRACE_MS = 15_000;

export type Attempt = typeof quizAttempts.$inferSelect;
export type Answers = Record<string, Answer | null>;

/** An attempt with its questions frozen as drawn (the JSON columns are typed in the schema). */
export type FrozenAttempt = Attempt;

export type StartRefusal = { reason: 'no-attempts-left' } | { reason: 'wait'; until: Date };

/** A value, or a placeholder in a query built once. */
type Param = string | SQLWrapper;
/** One learner's attempts at one quiz. */
const ofLearnerQuiz = (userId: Param, courseId: Param, quizId: Param) =>
	and(
		eq(quizAttempts.userId, userId),
		eq(quizAttempts.courseId, courseId),
		eq(quizAttempts.quizId, quizId)
	);

export async function attemptsOf(userId: string, courseId: string, quizId: string) {
	return attemptsOfLearnerQuiz().execute({ userId, courseId, quizId });
}

// Quiz pages and saves run these on every request: they are built once.
const byPlaceholders = () =>
	ofLearnerQuiz(sql.placeholder('userId'), sql.placeholder('courseId'), sql.placeholder('quizId'));
const attemptsOfLearnerQuiz = builtOnce((database) =>
	database
		.select()
		.from(quizAttempts)
		.where(byPlaceholders())
		.orderBy(asc(quizAttempts.number))
		.prepare('attempts_of_learner_quiz')
);
const openAttemptOfLearnerQuiz = builtOnce((database) =>
	database
		.select()
		.from(quizAttempts)
		.where(and(byPlaceholders(), isNull(quizAttempts.submittedAt)))
		.prepare('open_attempt_of_learner_quiz')
);

/** Whether a new attempt may start now; the same rule start() enforces under its lock. */
export function startRefusal(quiz: Quiz, attempts: FrozenAttempt[], at: Date): StartRefusal | null {
	const submitted = attempts.filter((a) => a.submittedAt);
	const max = quiz.settings.maxAttempts;
	if (max !== null && attempts.length >= max && !attempts.some((a) => !a.submittedAt))
		return { reason: 'no-attempts-left' };
	const last = submitted.at(-1);
	if (last?.submittedAt && quiz.settings.waitMinutes > 0) {
		const until = retryAt(last.submittedAt, quiz.settings.waitMinutes);
		if (until.getTime() > at.getTime()) return { reason: 'wait', until };
	}
	return null;
}

export type StartResult = { ok: true; attempt: FrozenAttempt } | ({ ok: false } & StartRefusal);

/**
 * Starts an attempt, or returns the open one. A per-learner, per-quiz advisory lock makes
 * parallel starts queue up; the unique indexes are the last line of defence.
 */
export async function startAttempt(
	userId: string,
	course: Course,
	quiz: Quiz
): Promise<StartResult> {
	return db().transaction(async (tx) => {
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtextextended(${`${userId}:${course.id}:${quiz.id}`}, 0))`
		);
		const existing = await tx
			.select()
			.from(quizAttempts)
			.where(ofLearnerQuiz(userId, course.id, quiz.id))
			.orderBy(asc(quizAttempts.number));
		const open = existing.find((a) => !a.submittedAt);
		if (open) return { ok: true, attempt: open };
		const at = now();
		const refusal = startRefusal(quiz, existing, at);
		if (refusal) return { ok: false, ...refusal };

		const limit = quiz.settings.timeLimitMinutes;
		const deadlineAt = limit
			? new Date(at.getTime() + limit * 60_000 * (await effectiveMultiplier(tx, userId, course.id)))
			: null;
		const seed = randomBytes(16).toString('hex');
		const questions = arrangeQuestions(quiz.questions, quiz.settings, seededRandom(seed));
		const [attempt] = await tx
			.insert(quizAttempts)
			.values({
				userId,
				courseId: course.id,
				quizId: quiz.id,
				number: (existing.at(-1)?.number ?? 0) + 1,
				quizVersion: quiz.version,
				passPercent: quiz.settings.passPercent,
				seed,
				questions,
				answers: {},
				startedAt: at,
				deadlineAt
			})
			.returning();
		return { ok: true, attempt: attempt! };
	});
}

/** An attempt the viewer may see (see auth/can.ts); anyone else's is simply not found. */
export async function findAttempt(
	viewer: { id: string; role: Role },
	attemptId: string
): Promise<FrozenAttempt | undefined> {
	if (!isUuid(attemptId)) return undefined;
	const [row] = await db().select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
	return row && can(viewer, 'view', { kind: 'learner-record', ownerId: row.userId })
		? row
		: undefined;
}

export async function openAttempt(userId: string, courseId: string, quizId: string) {
	const [row] = await openAttemptOfLearnerQuiz().execute({ userId, courseId, quizId });
	return row;
}

/** The secret that orders this attempt's ordering and matching answers (see schema). */
export const displaySeed = (a: FrozenAttempt) => a.seed || a.id;

export const isExpired = (a: Pick<FrozenAttempt, 'deadlineAt'>, at = now()) =>
	a.deadlineAt !== null && at.getTime() > a.deadlineAt.getTime() + GRACE_MS;

export type AnswerErrors = Record<string, string>;

export type SaveResult =
	| { ok: true }
	| { ok: false; reason: 'closed' }
	| { ok: false; reason: 'expired' }
	| { ok: false; reason: 'stale'; revision: number };

/**
 * Merges answers into an open attempt in one statement, unless it is finished, past its time
 * limit (judged inside the UPDATE, by the server clock) or `revision` is not newer than the last
 * save: two autosaves in flight can land out of order, and the older must not overwrite the newer.
 * Without a revision (a form posted without JavaScript) the save simply comes next.
 */
export async function saveAnswers(
	attempt: Pick<FrozenAttempt, 'id' | 'userId'>,
	answers: Answers,
	revision?: number,
	at = now()
): Promise<SaveResult> {
	const [updated] = await db()
		.update(quizAttempts)
		.set({
			answers: sql`${quizAttempts.answers} || ${JSON.stringify(answers)}::jsonb`,
			saveRevision: revision ?? sql`${quizAttempts.saveRevision} + 1`
		})
		.where(
			and(
				eq(quizAttempts.id, attempt.id),
				eq(quizAttempts.userId, attempt.userId),
				isNull(quizAttempts.submittedAt),
				or(
					isNull(quizAttempts.deadlineAt),
					gte(quizAttempts.deadlineAt, new Date(at.getTime() - GRACE_MS))
				),
				revision === undefined ? undefined : lt(quizAttempts.saveRevision, revision)
			)
		)
		.returning({ id: quizAttempts.id });
	if (updated) return { ok: true };
	// Refused: one more look, only on this unhappy path, to say why.
	const [row] = await db()
		.select({
			submittedAt: quizAttempts.submittedAt,
			deadlineAt: quizAttempts.deadlineAt,
			revision: quizAttempts.saveRevision
		})
		.from(quizAttempts)
		.where(and(eq(quizAttempts.id, attempt.id), eq(quizAttempts.userId, attempt.userId)));
	if (!row || row.submittedAt) return { ok: false, reason: 'closed' };
	if (isExpired({ deadlineAt: row.deadlineAt }, at)) return { ok: false, reason: 'expired' };
	return { ok: false, reason: 'stale', revision: row.revision };
}

export type SubmitResult = { attempt: FrozenAttempt } & Completion;

/**
 * Grades an attempt once, with what it completes, in one transaction. Answers arriving after the
 * time limit are ignored and the attempt is graded as it stands.
 *
 * `known` is the attempt as the caller just read it. It is graded as read only if the row is
 * still unchanged (same save revision, not graded), in one statement; otherwise, or without
 * `known`, the row is read again and locked, so parallel submits wait and then see it graded.
 */
export async function submitAttempt(
	userId: string,
	attemptId: string,
	course: Course,
	quiz: Quiz,
	finalAnswers: Answers = {},
	known?: FrozenAttempt
): Promise<SubmitResult | undefined> {
	if (!isUuid(attemptId)) return undefined;
	const done = await changeProgress(userId, course, async (tx) => {
		let graded: { attempt: FrozenAttempt; fresh: boolean } | undefined;
		let schedules: Awaited<ReturnType<typeof cardSchedules>> | undefined;
		if (known?.id === attemptId && known.userId === userId && !known.submittedAt) {
			// Graded as read, and the review cards' schedules read, in one round trip.
			const grading = gradingOf(tx, known, quiz, finalAnswers, known.saveRevision);
			const [existing, written] = await inOrder(cardSchedules(tx, known), grading.statement);
			if (written.length) graded = { attempt: grading.attempt, fresh: true };
			schedules = existing;
		}
		graded ??= await lockAndGrade(tx, userId, attemptId, quiz, finalAnswers);
		if (!graded?.fresh) return { result: graded?.attempt };
		const { attempt } = graded;
		schedules ??= await cardSchedules(tx, attempt);
		// Every question answered becomes a review card, in the grading transaction; the statement
		// leaves with the completion's own writes.
		const cards = cardsOf(tx, attempt, schedules);
		return {
			result: attempt,
			writes: cards ? [cards] : [],
			added: [
				{
					kind: 'quiz',
					id: attempt.quizId,
					version: null,
					percent: attempt.percent,
					at: attempt.submittedAt!.toISOString(),
					passed: attempt.passed
				}
			],
			events: [
				{
					type: 'attempt.graded' as const,
					attemptId: attempt.id,
					quizId: attempt.quizId,
					percent: attempt.percent!,
					passed: attempt.passed!
				}
			]
		};
	});
	const { result: attempt, ...completion } = done;
	return attempt && { attempt, ...completion };
}

/** The attempt read again under a row lock, and graded unless it already was. */
async function lockAndGrade(
	tx: Transaction,
	userId: string,
	attemptId: string,
	quiz: Quiz,
	finalAnswers: Answers
): Promise<{ attempt: FrozenAttempt; fresh: boolean } | undefined> {
	const [row] = await tx
		.select()
		.from(quizAttempts)
		.where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId)))
		.for('update');
	if (!row) return undefined;
	if (row.submittedAt) return { attempt: row, fresh: false };
	return gradeIn(tx, row, quiz, finalAnswers);
}

/**
 * Grades the attempt as given and stores the grade; with `revision`, only if the row still has
 * that save revision and no grade (else undefined, and nothing is written).
 */
async function gradeIn(
	tx: Transaction,
	attempt: FrozenAttempt,
	quiz: Quiz,
	finalAnswers: Answers,
	revision?: number
): Promise<{ attempt: FrozenAttempt; fresh: true } | undefined> {
	const grading = gradingOf(tx, attempt, quiz, finalAnswers, revision);
	const written = await grading.statement;
	return written.length ? { attempt: grading.attempt, fresh: true } : undefined;
}

/**
 * The attempt graded as given, and the statement (not started) that stores the grade; with
 * `revision`, it writes only if the row still has that save revision and no grade (and then
 * returns no row).
 */
function gradingOf(
	tx: Transaction,
	attempt: FrozenAttempt,
	quiz: Quiz,
	finalAnswers: Answers,
	revision?: number
) {
	const at = now();
	const answers = isExpired(attempt, at)
		? attempt.answers
		: { ...attempt.answers, ...finalAnswers };
	const grade = gradeAnswers(attempt.questions, answers);
	const passed = isPassing(grade.percent, attempt.passPercent ?? quiz.settings.passPercent);
	const stored = {
		answers,
		submittedAt: at,
		score: grade.score,
		maxScore: grade.maxScore,
		percent: grade.percent,
		passed,
		results: grade.results
	};
	const statement = tx
		.update(quizAttempts)
		.set(stored)
		.where(
			revision === undefined
				? eq(quizAttempts.id, attempt.id)
				: and(
						eq(quizAttempts.id, attempt.id),
						isNull(quizAttempts.submittedAt),
						eq(quizAttempts.saveRevision, revision)
					)
		)
		// Only whether it was written: the row is what was read plus what was set (reading it back
		// would send the frozen questions again). The percent has two decimals, which the real
		// column keeps exactly as written.
		.returning({ id: quizAttempts.id });
	return { statement, attempt: { ...attempt, ...stored } };
}
