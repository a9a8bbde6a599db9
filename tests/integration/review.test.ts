// Spaced review on PostgreSQL: cards made in the grading transaction, due order from the index
// (statements do not grow with the card count), answers graded once under parallel requests,
// cards retired or started afresh when the content changes, and inline checks that make cards
// without touching progress.
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetClock } from '../../src/lib/server/clock';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import {
	emailOutbox,
	quizAttempts,
	reviewCards,
	reviewLogs,
	users
} from '../../src/lib/server/db/schema';
import { backfillReviewCards } from '../../src/lib/server/review/backfill';
import { queueReviewReminders } from '../../src/lib/server/review/reminders';
import { startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import { enrol, enrolledProgress } from '../../src/lib/server/learning/progress';
import { learnerId } from '../../src/lib/server/quiz/learner-ids';
import { fieldName } from '../../src/lib/quiz/answers';
import {
	answerCard,
	nextDueCard,
	reviewKeepingUp,
	resetCourseReview,
	reviewSummary,
	selfRate,
	setCourseReview
} from '../../src/lib/server/review/queue';
import { answerCheck } from '../../src/lib/server/review/checks';
import { checkItemKey, checkSeed, quizItemKey } from '../../src/lib/server/review/items';
import { emptySchedule } from '../../src/lib/review/schedule';
import type { Question } from '../../src/lib/quiz/types';
import { freshDatabase } from '../support/fresh-database';
import { countStatements } from '../support/counted-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
const DAY = 86_400_000;

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let sql: Awaited<ReturnType<typeof freshDatabase>>['sql'];
let course: Course;

beforeAll(async () => {
	({ db, sql } = await freshDatabase());
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(JSON.stringify(loaded.problems));
	course = loaded.course;
	useCourses([course]);
});

afterEach(() => {
	resetClock();
	useCourses([course]);
});

let n = 0;
async function newLearner(): Promise<string> {
	n++;
	const [user] = await db
		.insert(users)
		.values({ name: `Reviewer ${n}`, email: `review-${n}@example.com`, passwordHash: 'x' })
		.returning();
	await enrol(user!.id, course);
	return user!.id;
}

const basics = () => course.modules[0]!.quiz!;

/** Takes the basics quiz with "warm-first" wrong and the rest right. */
async function failWarmFirst(userId: string) {
	const started = await startAttempt(userId, course, basics());
	if (!started.ok) throw new Error('not started');
	return submitAttempt(userId, started.attempt.id, course, basics(), {
		'warm-first': 'b',
		'brew-steps': ['measure', 'time'],
		'fresh-water': true
	});
}

async function cardsOf(userId: string) {
	return db.select().from(reviewCards).where(eq(reviewCards.userId, userId));
}

/** The form a learner's page sends for a single-choice card, choosing `option`. */
async function singleChoiceForm(cardId: string, option: string) {
	const [card] = await db.select().from(reviewCards).where(eq(reviewCards.id, cardId));
	const form = new FormData();
	form.set('card', card!.id);
	form.set('round', String(card!.round));
	form.set(
		fieldName(card!.question.id),
		learnerId(card!.seed, card!.question.id, 'option', option)
	);
	return { form, round: card!.round };
}

describe('cards from a graded attempt', () => {
	it('makes one card per question, a missed one due sooner than a right one', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		const cards = await cardsOf(userId);
		expect(cards.map((c) => c.itemKey).sort()).toEqual(
			['brew-steps', 'fresh-water', 'warm-first'].map((q) => quizItemKey('basics-quiz', q)).sort()
		);
		const due = Object.fromEntries(cards.map((c) => [c.question.id, c.dueAt.getTime()]));
		expect(due['warm-first']).toBeLessThan(due['fresh-water']!);
		expect(cards[0]!.contentVersion).toBe(basics().version);
	});

	it('are written in the grading transaction: a failing card write leaves the attempt ungraded', async () => {
		const userId = await newLearner();
		await sql.unsafe(`
			create function refuse_cards() returns trigger language plpgsql as $$
			begin raise exception 'no cards today'; end $$;
			create trigger refuse_cards before insert on review_cards
				for each row when (new.user_id = '${userId}') execute function refuse_cards();
		`);
		try {
			await expect(failWarmFirst(userId)).rejects.toThrow();
			const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.userId, userId));
			expect(row!.submittedAt).toBeNull();
		} finally {
			await sql.unsafe(`drop trigger refuse_cards on review_cards; drop function refuse_cards();`);
		}
	});
});

describe('the review queue', () => {
	it('shows due cards earliest first, and only due ones', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		expect(await nextDueCard(userId, 'UTC', new Date())).toBeNull();
		const first = await nextDueCard(userId, 'UTC', new Date(Date.now() + DAY + 60_000));
		expect(first?.question.id).toBe('warm-first');
		// The page's question carries no key and no authored option ids.
		expect(JSON.stringify(first)).not.toMatch(/"correct"|"id":"a"|"id":"b"/);
	});

	it('costs the same statements with 5,000 cards as with 5', async () => {
		const few = await newLearner();
		const many = await newLearner();
		const at = new Date();
		const q = basics().questions[0]!;
		const fill = async (userId: string, total: number) => {
			const rows = Array.from({ length: total }, (_, i) => ({
				userId,
				courseId: course.id,
				itemKey: quizItemKey('basics-quiz', i === 0 ? q.id : `other-${i}`),
				lessonId: q.lesson,
				question: q,
				contentVersion: 'v',
				seed: `seed-${i}`,
				schedule: emptySchedule(at),
				dueAt: new Date(at.getTime() - (i === 0 ? 10 * DAY : i * 1000))
			}));
			for (let i = 0; i < rows.length; i += 1000)
				await db.insert(reviewCards).values(rows.slice(i, i + 1000));
		};
		await fill(few, 5);
		await fill(many, 5000);
		await sql`analyze review_cards`;
		const counted = countStatements(sql);
		const page = (userId: string) => () =>
			Promise.all([reviewSummary(userId, 'UTC', at), nextDueCard(userId, 'UTC', at)]);
		await counted(page(few)); // a new connection first reads the server's types
		const withFew = await counted(page(few));
		const withMany = await counted(page(many));
		expect(withMany.length).toBe(withFew.length);
		expect(withMany.length).toBe(2); // the summary (due count, days) and the next card
		const plan = await sql.unsafe(
			`explain select * from review_cards where user_id = '${many}' and active and retired_at is null and due_at < now() order by due_at limit 1`
		);
		expect(JSON.stringify(plan)).toMatch(/review_cards_due_idx/);
	});
});

describe('answering a card', () => {
	it('grades ten parallel answers to one card once', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		const [card] = (await cardsOf(userId)).filter((c) => c.question.id === 'warm-first');
		const at = new Date(Date.now() + 2 * DAY);
		const { form, round } = await singleChoiceForm(card!.id, 'a');
		await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.02)`));
		const results = await Promise.all(
			Array.from({ length: 10 }, () => answerCard(userId, card!.id, round, form, 'UTC', at))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok && r.reason === 'answered')).toHaveLength(9);
		const [logs] = await db
			.select({ n: count() })
			.from(reviewLogs)
			.where(eq(reviewLogs.cardId, card!.id));
		expect(logs!.n).toBe(1);
		const [after] = await db.select().from(reviewCards).where(eq(reviewCards.id, card!.id));
		expect(after!.dueAt.getTime()).toBeGreaterThan(at.getTime() + DAY);
		// The coach's counts: one done this week, nothing of the answer itself.
		expect(await reviewKeepingUp(userId, at)).toEqual({ due: 0, doneLastWeek: 1 });
	});

	it('never changes quiz grades or progress', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		const before = await enrolledProgress(userId, course);
		const [card] = (await cardsOf(userId)).filter((c) => c.question.id === 'warm-first');
		const { form, round } = await singleChoiceForm(card!.id, 'a');
		const answered = await answerCard(
			userId,
			card!.id,
			round,
			form,
			'UTC',
			new Date(Date.now() + 2 * DAY)
		);
		expect(answered.ok).toBe(true);
		expect(await enrolledProgress(userId, course)).toEqual(before);
		const [attempt] = await db.select().from(quizAttempts).where(eq(quizAttempts.userId, userId));
		expect(attempt!.results!['warm-first']!.correct).toBe(false);
	});

	it('retires a card whose question left the course, and starts one whose key changed afresh', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		const quiz = basics();
		const changedKey: Question[] = quiz.questions
			.filter((q) => q.id !== 'fresh-water')
			.map((q) =>
				q.id === 'warm-first' && q.type === 'single'
					? { ...q, options: q.options.map((o) => ({ ...o, correct: o.id === 'c' })) }
					: q
			);
		const edited: Course = {
			...course,
			modules: course.modules.map((m, i) =>
				i === 0 ? { ...m, quiz: { ...quiz, questions: changedKey, version: 'edited' } } : m
			)
		};
		useCourses([edited]);
		const later = new Date(Date.now() + 30 * DAY);
		// Out of the way: only the changed and the removed question are due.
		await db
			.update(reviewCards)
			.set({ dueAt: new Date(Date.now() + 60 * DAY) })
			.where(
				and(
					eq(reviewCards.userId, userId),
					eq(reviewCards.itemKey, quizItemKey('basics-quiz', 'brew-steps'))
				)
			);
		const seen: string[] = [];
		for (let i = 0; i < 3; i++) {
			const card = await nextDueCard(userId, 'UTC', later);
			if (!card) break;
			seen.push(card.question.id);
			const { form, round } = await singleChoiceForm(card.id, 'c');
			await answerCard(userId, card.id, round, form, 'UTC', later);
		}
		expect(seen).not.toContain('fresh-water');
		const cards = await cardsOf(userId);
		const byId = Object.fromEntries(cards.map((c) => [c.question.id, c]));
		expect(byId['fresh-water']!.retiredAt).not.toBeNull();
		const warm = byId['warm-first']!;
		expect(
			warm.question.type === 'single' && warm.question.options.find((o) => o.correct)?.id
		).toBe('c');
		const [log] = await db.select().from(reviewLogs).where(eq(reviewLogs.cardId, warm.id));
		// Graded against the new key: "c" is right now.
		expect(log!.outcome).toBe('right');
	});
});

describe('per-course settings', () => {
	it('switching review off hides the course’s cards (new ones too); reset makes them all due now', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		const later = new Date(Date.now() + 30 * DAY);
		await setCourseReview(userId, course.id, { enabled: false, dailyReminder: false });
		expect(await nextDueCard(userId, 'UTC', later)).toBeNull();
		expect((await reviewSummary(userId, 'UTC', later)).dueToday).toBe(0);
		// A card made while review is off stays off.
		const lesson = course.lessons[0]!;
		const seed = await checkSeed(userId, course.id, checkItemKey(lesson.id, 'water-swirl'));
		const form = new FormData();
		form.set('check', 'water-swirl');
		form.set(fieldName('water-swirl'), learnerId(seed, 'water-swirl', 'option', 'pour'));
		await answerCheck(userId, course, lesson, form);
		expect((await cardsOf(userId)).every((c) => !c.active)).toBe(true);
		await setCourseReview(userId, course.id, { enabled: true, dailyReminder: false });
		const now = new Date();
		expect((await reviewSummary(userId, 'UTC', now)).dueToday).toBe(0);
		await resetCourseReview(userId, course.id, now);
		expect((await reviewSummary(userId, 'UTC', now)).dueToday).toBe(4);
	});
});

describe('self-rating after an answer', () => {
	it('moves the card within what the answer allows, once, while the answer is current', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		const [card] = (await cardsOf(userId)).filter((c) => c.question.id === 'warm-first');
		const at = new Date(Date.now() + 2 * DAY);
		const { form, round } = await singleChoiceForm(card!.id, 'a');
		const answered = await answerCard(userId, card!.id, round, form, 'UTC', at);
		if (!answered.ok) throw new Error('not answered');
		const good = new Date(answered.nextDue).getTime();
		// Right answers may be rated Hard, Good or Easy, never Again.
		expect(await selfRate(userId, answered.logId, 1, at)).toBeNull();
		const easy = await selfRate(userId, answered.logId, 4, at);
		expect(easy!.getTime()).toBeGreaterThan(good);
		const [row] = await db.select().from(reviewCards).where(eq(reviewCards.id, card!.id));
		expect(row!.dueAt.getTime()).toBe(easy!.getTime());
		// Someone else's answer cannot be rated.
		expect(await selfRate(await newLearner(), answered.logId, 2, at)).toBeNull();
	});
});

describe('inline checks', () => {
	it('give feedback, make a card on the first answer, and leave progress alone', async () => {
		const userId = await newLearner();
		const lesson = course.lessons[0]!;
		const before = await enrolledProgress(userId, course);
		const seed = await checkSeed(userId, course.id, checkItemKey(lesson.id, 'water-swirl'));
		const form = new FormData();
		form.set('check', 'water-swirl');
		form.set(fieldName('water-swirl'), learnerId(seed, 'water-swirl', 'option', 'keep'));
		const answered = await answerCheck(userId, course, lesson, form);
		expect(answered.ok && answered.item.correct).toBe(false);
		expect(answered.ok && answered.item.correctAnswer).toBe('Pour it away');
		const cards = await db
			.select()
			.from(reviewCards)
			.where(
				and(
					eq(reviewCards.userId, userId),
					eq(reviewCards.itemKey, checkItemKey(lesson.id, 'water-swirl'))
				)
			);
		expect(cards).toHaveLength(1);
		expect(await enrolledProgress(userId, course)).toEqual(before);
		const bad = new FormData();
		bad.set('check', 'water-swirl');
		bad.set(fieldName('water-swirl'), 'keep');
		expect(await answerCheck(userId, course, lesson, bad)).toMatchObject({ ok: false });
	});
});

describe('attempts graded before spaced review', () => {
	it('get their cards once from the start-up backfill, missed ones due first', async () => {
		const userId = await newLearner();
		await failWarmFirst(userId);
		// As before the feature: graded, no cards.
		await db.delete(reviewCards).where(eq(reviewCards.userId, userId));
		expect(await backfillReviewCards()).toBeGreaterThanOrEqual(1);
		const cards = await cardsOf(userId);
		expect(cards).toHaveLength(3);
		const due = Object.fromEntries(cards.map((c) => [c.question.id, c.dueAt.getTime()]));
		expect(due['warm-first']).toBeLessThan(due['fresh-water']!);
		// Idempotent: a second run (another instance, the next start) changes nothing.
		expect(await backfillReviewCards()).toBe(0);
		expect(await cardsOf(userId)).toHaveLength(3);
	});

	it('queues the daily reminder only for learners who asked, once a day', async () => {
		const asked = await newLearner();
		const quiet = await newLearner();
		for (const id of [asked, quiet]) await failWarmFirst(id);
		await setCourseReview(asked, course.id, { enabled: true, dailyReminder: true });
		const later = new Date(Date.now() + 2 * DAY);
		await queueReviewReminders(later);
		await queueReviewReminders(later);
		const mails = await db.select().from(emailOutbox);
		expect(mails.filter((m) => m.userId === asked && m.kind === 'review-reminder')).toHaveLength(1);
		expect(mails.filter((m) => m.userId === quiet)).toHaveLength(0);
	});
});
