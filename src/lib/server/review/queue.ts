// The learner's review: today's due cards one at a time (read from the due index, so the cost
// does not grow with the number of cards), answers graded once per showing, self-ratings, the
// streak and activity, and per-course settings. Review never touches quiz grades or progress.
import { and, asc, count, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { builtOnce, db } from '../db';
import { isUuid } from '../db/ids';
import { reviewCards, reviewDays, reviewLogs, reviewSettings, users } from '../db/schema';
import { findCourse, publishedCourses } from '../content/catalog';
import type { QuestionView, ReviewItem } from '../../quiz/views';
import { reconcileCard } from '../../review/reconcile';
import {
	emptySchedule,
	nextSchedule,
	ratingFor,
	selfRatings,
	type Outcome
} from '../../review/schedule';
import { activityStrip, streak } from '../../review/streak';
import { addDays, endOfLocalDay, localDay } from '../../time';
import type { ActivityDay, ReviewSummary } from '../../review/streak';
import { questionView } from '../quiz/views';
import { feedbackItem, gradeFormAnswer } from './feedback';
import { currentQuestion, lessonLink, newSeed } from './items';

type Card = typeof reviewCards.$inferSelect;

/**
 * Cards shown in review: active, not retired, of a course being served (a course unpublished or
 * being replaced keeps its cards, untouched, for when it is back).
 */
const shownCards = (userId: string) =>
	and(
		eq(reviewCards.userId, userId),
		eq(reviewCards.active, true),
		isNull(reviewCards.retiredAt),
		inArray(
			reviewCards.courseId,
			publishedCourses().map((c) => c.id)
		)
	);

/** The streak and 30-day strip read this many days back (one indexed range, any history). */
const DAYS_READ = 400;

export type { ReviewSummary };

// The dashboard and the review page ask for this on every visit: one statement, built once.
// The learner's row anchors it, so a learner with no cards and no days still gets a row. The
// cards counted are shownCards' (active, not retired, of a course served), written out in SQL
// because this statement is prepared once and shownCards builds the course list into each query.
const summaryOf = builtOnce((database) =>
	database
		.select({
			due: sql<number>`(select count(*)::int from review_cards c
				where c.user_id = users.id and c.active and c.retired_at is null
				  and c.course_id = any(${sql.placeholder('courses')}::text[])
				  and c.due_at < ${sql.placeholder('before')}::timestamptz)`,
			days: sql<ActivityDay[] | null>`(select json_agg(json_build_object(
					'day', d.day, 'answered', d.answered, 'finished', d.finished) order by d.day desc)
				from review_days d
				where d.user_id = users.id and d.day >= ${sql.placeholder('since')}::date)`
		})
		.from(users)
		.where(eq(users.id, sql.placeholder('user')))
		.prepare('review_summary')
);

/** Cards due today, the streak and the last 30 days: one statement whatever the card count. */
export async function reviewSummary(
	userId: string,
	zone: string | null,
	at: Date
): Promise<ReviewSummary> {
	const today = localDay(at, zone);
	const [row] = await summaryOf().execute({
		user: userId,
		courses: publishedCourses().map((c) => c.id),
		// As text: a prepared statement's parameters are sent as postgres.js sees their types.
		before: endOfLocalDay(at, zone).toISOString(),
		since: addDays(today, -DAYS_READ)
	});
	const days = row?.days ?? [];
	return {
		dueToday: row?.due ?? 0,
		streak: streak(
			days.filter((d) => d.finished).map((d) => d.day),
			today
		),
		strip: activityStrip(days, today),
		today
	};
}

export interface ShownCard {
	id: string;
	round: number;
	courseTitle: string;
	question: QuestionView;
}

/**
 * The first card due today, checked against the course as it is now: a card whose question left
 * the course is retired, one whose key changed starts afresh on the new question.
 */
export async function nextDueCard(
	userId: string,
	zone: string | null,
	at: Date
): Promise<ShownCard | null> {
	for (let tries = 0; tries < 20; tries++) {
		const [card] = await db()
			.select()
			.from(reviewCards)
			.where(and(shownCards(userId), lt(reviewCards.dueAt, endOfLocalDay(at, zone))))
			.orderBy(asc(reviewCards.dueAt))
			.limit(1);
		if (!card) return null;
		const fresh = await reconciled(card, at);
		if (fresh) return showCard(fresh);
	}
	return null;
}

function showCard(card: Card): ShownCard {
	return {
		id: card.id,
		round: card.round,
		courseTitle: findCourse(card.courseId)?.title ?? card.courseId,
		question: questionView(card.question, card.seed)
	};
}

/** The card as the content now has it (written back when it changed); null once retired. */
async function reconciled(card: Card, at: Date): Promise<Card | null> {
	const course = findCourse(card.courseId);
	if (!course) return null;
	const change = reconcileCard(card.question, currentQuestion(course, card.itemKey));
	if (change.action === 'keep') return card;
	if (change.action === 'retire') {
		await db().update(reviewCards).set({ retiredAt: at }).where(eq(reviewCards.id, card.id));
		return null;
	}
	const set: Partial<Card> = {
		question: change.question,
		lessonId: change.question.lesson ?? null,
		seed: newSeed(),
		round: card.round + 1
	};
	if (change.action === 'reset') Object.assign(set, { schedule: emptySchedule(at), dueAt: at });
	const [updated] = await db()
		.update(reviewCards)
		.set(set)
		.where(and(eq(reviewCards.id, card.id), eq(reviewCards.round, card.round)))
		.returning();
	return updated ?? null;
}

export type ReviewAnswer =
	| {
			ok: true;
			item: ReviewItem;
			outcome: Outcome;
			logId: string;
			nextDue: string;
			selfRatings: number[];
	  }
	| { ok: false; reason: 'not-found' | 'answered' | 'changed' }
	| { ok: false; reason: 'invalid'; message: string };

/**
 * Grades one answer to one showing of a card: `round` names the showing, and only the first
 * answer to it counts (parallel answers find the round moved on and change nothing).
 */
export async function answerCard(
	userId: string,
	cardId: string,
	round: number,
	form: FormData,
	zone: string | null,
	at: Date
): Promise<ReviewAnswer> {
	if (!isUuid(cardId) || !Number.isSafeInteger(round)) return { ok: false, reason: 'not-found' };
	const [card] = await db()
		.select()
		.from(reviewCards)
		.where(and(eq(reviewCards.id, cardId), eq(reviewCards.userId, userId)));
	if (!card || card.retiredAt) return { ok: false, reason: 'not-found' };
	if (card.round !== round || !card.active) return { ok: false, reason: 'answered' };
	const course = findCourse(card.courseId);
	// Never graded against a stale key: a changed question is shown again as it is now.
	const change = reconcileCard(card.question, currentQuestion(course, card.itemKey));
	if (change.action === 'retire' || change.action === 'reset') {
		await reconciled(card, at);
		return { ok: false, reason: 'changed' };
	}
	const graded = gradeFormAnswer(card.question, card.seed, form);
	if (!graded.ok) return { ok: false, reason: 'invalid', message: graded.message };
	const rating = ratingFor(graded.outcome);
	const { schedule, dueAt } = nextSchedule(card.schedule, rating, at);
	const today = localDay(at, zone);
	const done = await db().transaction(async (tx) => {
		const [moved] = await tx
			.update(reviewCards)
			.set({ schedule, dueAt, round: round + 1, seed: newSeed() })
			.where(
				and(
					eq(reviewCards.id, card.id),
					eq(reviewCards.round, round),
					isNull(reviewCards.retiredAt),
					eq(reviewCards.active, true)
				)
			)
			.returning({ id: reviewCards.id });
		if (!moved) return null;
		const [log] = await tx
			.insert(reviewLogs)
			.values({
				cardId: card.id,
				userId,
				courseId: card.courseId,
				rating,
				outcome: graded.outcome,
				before: card.schedule,
				round: round + 1,
				reviewedAt: at
			})
			.returning({ id: reviewLogs.id });
		const [left] = await tx
			.select({ n: count() })
			.from(reviewCards)
			.where(and(shownCards(userId), lt(reviewCards.dueAt, endOfLocalDay(at, zone))));
		const finished = (left?.n ?? 0) === 0;
		await tx
			.insert(reviewDays)
			.values({ userId, day: today, answered: 1, finished })
			.onConflictDoUpdate({
				target: [reviewDays.userId, reviewDays.day],
				set: {
					answered: sql`${reviewDays.answered} + 1`,
					finished: sql`${reviewDays.finished} or excluded.finished`
				}
			});
		return log!.id;
	});
	if (!done) return { ok: false, reason: 'answered' };
	return {
		ok: true,
		item: feedbackItem(
			card.question,
			card.seed,
			graded.answer,
			questionView(card.question, card.seed),
			lessonLink(course, card.lessonId)
		),
		outcome: graded.outcome,
		logId: done,
		nextDue: dueAt.toISOString(),
		selfRatings: selfRatings(graded.outcome)
	};
}

/**
 * Replaces the rating of the learner's last answer to a card by their own, within what the
 * answer allows (never above it), while no later answer was given. Returns the new due date.
 */
export async function selfRate(
	userId: string,
	logId: string,
	rating: number,
	at: Date
): Promise<Date | null> {
	if (!isUuid(logId)) return null;
	const [log] = await db()
		.select()
		.from(reviewLogs)
		.where(and(eq(reviewLogs.id, logId), eq(reviewLogs.userId, userId)));
	if (!log || !selfRatings(log.outcome).includes(rating)) return null;
	// An hour to change one's mind; later the answer stands as graded.
	if (at.getTime() - log.reviewedAt.getTime() > 3_600_000) return null;
	const chosen = ratingFor(log.outcome, rating);
	const { schedule, dueAt } = nextSchedule(log.before, chosen, log.reviewedAt);
	return db().transaction(async (tx) => {
		const [card] = await tx
			.update(reviewCards)
			.set({ schedule, dueAt })
			.where(and(eq(reviewCards.id, log.cardId), eq(reviewCards.round, log.round)))
			.returning({ id: reviewCards.id });
		if (!card) return null;
		await tx
			.update(reviewLogs)
			.set({ rating: chosen, selfRated: true })
			.where(eq(reviewLogs.id, log.id));
		return dueAt;
	});
}

export interface CourseReviewSetting {
	courseId: string;
	title: string;
	enabled: boolean;
	dailyReminder: boolean;
	cards: number;
}

/** Each course the learner has cards in, with its settings. */
export async function reviewSettingsOf(userId: string): Promise<CourseReviewSetting[]> {
	const rows = await db()
		.select({
			courseId: reviewCards.courseId,
			cards: count(),
			enabled: sql<boolean>`coalesce(bool_or(${reviewSettings.enabled}), true)`,
			dailyReminder: sql<boolean>`coalesce(bool_or(${reviewSettings.dailyReminder}), false)`
		})
		.from(reviewCards)
		.leftJoin(
			reviewSettings,
			and(
				eq(reviewSettings.userId, reviewCards.userId),
				eq(reviewSettings.courseId, reviewCards.courseId)
			)
		)
		.where(and(eq(reviewCards.userId, userId), isNull(reviewCards.retiredAt)))
		.groupBy(reviewCards.courseId)
		.orderBy(reviewCards.courseId);
	return rows.map((r) => ({ ...r, title: findCourse(r.courseId)?.title ?? r.courseId }));
}

/** Switches review of one course on or off, with its daily reminder. */
export async function setCourseReview(
	userId: string,
	courseId: string,
	choice: { enabled: boolean; dailyReminder: boolean }
): Promise<void> {
	await db().transaction(async (tx) => {
		await tx
			.insert(reviewSettings)
			.values({ userId, courseId, ...choice })
			.onConflictDoUpdate({
				target: [reviewSettings.userId, reviewSettings.courseId],
				set: choice
			});
		await tx
			.update(reviewCards)
			.set({ active: choice.enabled })
			.where(and(eq(reviewCards.userId, userId), eq(reviewCards.courseId, courseId)));
	});
}

/** Starts a course's review over: every card new again and due now. Quiz grades are untouched. */
export async function resetCourseReview(userId: string, courseId: string, at: Date) {
	await db()
		.update(reviewCards)
		.set({
			schedule: emptySchedule(at),
			dueAt: at,
			round: sql`${reviewCards.round} + 1`,
			seed: newSeed()
		})
		.where(
			and(
				eq(reviewCards.userId, userId),
				eq(reviewCards.courseId, courseId),
				isNull(reviewCards.retiredAt)
			)
		);
}

/** What a coach sees of an athlete's review: counts only, never an answer. */
export async function reviewKeepingUp(
	athleteId: string,
	at: Date
): Promise<{ due: number; doneLastWeek: number }> {
	const weekAgo = new Date(at.getTime() - 7 * 86_400_000);
	const [row] = await db()
		.select({
			due: sql<number>`(select count(*)::int from ${reviewCards} where ${and(shownCards(athleteId), lte(reviewCards.dueAt, at))})`,
			doneLastWeek: sql<number>`(select count(*)::int from ${reviewLogs} where ${and(eq(reviewLogs.userId, athleteId), gte(reviewLogs.reviewedAt, weekAgo))})`
		})
		.from(sql`(select 1) as one`);
	return { due: Number(row?.due ?? 0), doneLastWeek: Number(row?.doneLastWeek ?? 0) };
}
