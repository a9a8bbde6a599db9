// Review cards are made where answers are graded: every question of a graded attempt (in the
// grading transaction) and every inline check answered. A card already there is moved on by the
// new answer and takes the newer question.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { reviewCards, reviewSettings } from '../db/schema';
import type { QuestionResult } from '../../quiz/scoring';
import type { Question } from '../../quiz/types';
import { nextSchedule, outcomeOf, ratingFor, type StoredSchedule } from '../../review/schedule';
import { newSeed, quizItemKey } from './items';

/** New cards are active unless the learner switched review off for the course. */
const activeFor = (userId: string, courseId: string) =>
	sql<boolean>`coalesce((select ${reviewSettings.enabled} from ${reviewSettings} where ${reviewSettings.userId} = ${userId} and ${reviewSettings.courseId} = ${courseId}), true)`;

export interface GradedAttempt {
	userId: string;
	courseId: string;
	quizId: string;
	quizVersion: string;
	questions: Question[];
	results: Record<string, QuestionResult> | null;
	submittedAt: Date | null;
}

/** Cards for every question of a graded attempt, in the caller's transaction (two statements). */
export async function cardsFromAttempt(tx: Executor, attempt: GradedAttempt): Promise<void> {
	const writing = cardsOf(tx, attempt, await cardSchedules(tx, attempt));
	if (writing) await writing;
}

/**
 * The schedules of the cards the learner already has for the attempt's questions (one statement,
 * not started: it can leave with the grading's, see inOrder).
 */
export function cardSchedules(
	tx: Executor,
	attempt: Pick<GradedAttempt, 'userId' | 'courseId' | 'quizId' | 'questions'>
) {
	return tx
		.select({ itemKey: reviewCards.itemKey, schedule: reviewCards.schedule })
		.from(reviewCards)
		.where(
			and(
				eq(reviewCards.userId, attempt.userId),
				eq(reviewCards.courseId, attempt.courseId),
				inArray(
					reviewCards.itemKey,
					attempt.questions.map((q) => quizItemKey(attempt.quizId, q.id))
				)
			)
		);
}

/**
 * The statement (not started) that makes or moves a card for each question of the graded attempt
 * answered, given the schedules cardSchedules read; none when nothing was answered.
 */
export function cardsOf(
	tx: Executor,
	attempt: GradedAttempt,
	existing: readonly { itemKey: string; schedule: StoredSchedule }[]
) {
	const at = attempt.submittedAt;
	if (!at || !attempt.results) return undefined;
	const answered = attempt.questions.filter((q) => attempt.results![q.id]);
	if (!answered.length) return undefined;
	const keys = answered.map((q) => quizItemKey(attempt.quizId, q.id));
	const before = new Map<string, StoredSchedule>(existing.map((c) => [c.itemKey, c.schedule]));
	const rows = answered.map((q, i) => {
		const rating = ratingFor(outcomeOf(attempt.results![q.id]!));
		const { schedule, dueAt } = nextSchedule(before.get(keys[i]!) ?? null, rating, at);
		return {
			userId: attempt.userId,
			courseId: attempt.courseId,
			itemKey: keys[i]!,
			lessonId: q.lesson ?? null,
			question: q,
			contentVersion: attempt.quizVersion,
			seed: newSeed(),
			schedule,
			dueAt,
			active: activeFor(attempt.userId, attempt.courseId)
		};
	});
	return tx
		.insert(reviewCards)
		.values(rows)
		.onConflictDoUpdate({
			target: [reviewCards.userId, reviewCards.courseId, reviewCards.itemKey],
			set: {
				lessonId: sql`excluded.lesson_id`,
				question: sql`excluded.question`,
				contentVersion: sql`excluded.content_version`,
				seed: sql`excluded.seed`,
				schedule: sql`excluded.schedule`,
				dueAt: sql`excluded.due_at`,
				round: sql`${reviewCards.round} + 1`,
				retiredAt: sql`null`
			}
		});
}

/**
 * The card for an inline check the learner just answered in a lesson, unless they have it
 * already: rehearsing in the lesson again does not move a card the review schedules.
 */
export async function cardFromCheck(
	tx: Executor,
	card: {
		userId: string;
		courseId: string;
		itemKey: string;
		question: Question;
		contentVersion: string;
		correct: { score: number; correct: boolean };
		at: Date;
	}
): Promise<void> {
	const { schedule, dueAt } = nextSchedule(null, ratingFor(outcomeOf(card.correct)), card.at);
	await tx
		.insert(reviewCards)
		.values({
			userId: card.userId,
			courseId: card.courseId,
			itemKey: card.itemKey,
			lessonId: card.question.lesson ?? null,
			question: card.question,
			contentVersion: card.contentVersion,
			seed: newSeed(),
			schedule,
			dueAt,
			active: activeFor(card.userId, card.courseId)
		})
		.onConflictDoNothing();
}
