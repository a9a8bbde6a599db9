// Spaced review: one card per learner and question (quiz item or inline check), its review log,
// the days a learner reviewed (for the streak), and per-course review settings.
import { sql } from 'drizzle-orm';
import {
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { Question } from '../../../quiz/types';
import type { StoredSchedule } from '../../../review/schedule';
import { users } from './auth';

export const reviewCards = pgTable(
	'review_cards',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		// "quiz:<quiz>:<question>" or "check:<lesson>:<check>": the same card across content
		// versions for as long as the question keeps its id in the course.
		itemKey: text('item_key').notNull(),
		// None for a question not yet linked to a lesson (an imported question bank).
		lessonId: text('lesson_id'),
		// The question as last answered, keys included (server-side only), and its content version.
		question: jsonb('question').$type<Question>().notNull(),
		contentVersion: text('content_version').notNull(),
		// Secret per showing: the page's option ids derive from it (see quiz/learner-ids.ts).
		seed: text('seed').notNull(),
		// ts-fsrs's card state; due_at repeats its due date for the index.
		schedule: jsonb('schedule').$type<StoredSchedule>().notNull(),
		dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
		// Answers taken in review; an answer names the round it was shown in, so it counts once.
		round: integer('round').notNull().default(0),
		// False while the learner has switched review off for the course.
		active: boolean('active').notNull().default(true),
		// Set when the question left the course: never shown or graded again.
		retiredAt: timestamp('retired_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('review_cards_item_key').on(t.userId, t.courseId, t.itemKey),
		// Due cards: the review page and the dashboard read only this index's head.
		index('review_cards_due_idx')
			.on(t.userId, t.dueAt)
			.where(sql`${t.active} and ${t.retiredAt} is null`)
	]
);

export const reviewLogs = pgTable(
	'review_logs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		cardId: uuid('card_id')
			.notNull()
			.references(() => reviewCards.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		// 1 Again, 2 Hard, 3 Good, 4 Easy (ts-fsrs's Rating). The answer itself is not kept.
		rating: smallint('rating').notNull(),
		outcome: text('outcome', { enum: ['right', 'partly', 'wrong'] }).notNull(),
		selfRated: boolean('self_rated').notNull().default(false),
		// The card's round after this answer: a self-rating applies only while it is still current.
		round: integer('round').notNull(),
		// The card's schedule before this answer, so a self-rating can replace the rating.
		before: jsonb('before').$type<StoredSchedule>().notNull(),
		reviewedAt: timestamp('reviewed_at', { withTimezone: true }).notNull()
	},
	(t) => [index('review_logs_user_idx').on(t.userId, t.reviewedAt)]
);

/** One row per learner and day (in their zone) with a review answer; `finished` when none was left due. */
export const reviewDays = pgTable(
	'review_days',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		day: date('day').notNull(),
		answered: integer('answered').notNull().default(0),
		finished: boolean('finished').notNull().default(false)
	},
	(t) => [primaryKey({ columns: [t.userId, t.day] })]
);

export const reviewSettings = pgTable(
	'review_settings',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		enabled: boolean('enabled').notNull().default(true),
		// The daily reminder mail, off unless the learner asks for it.
		dailyReminder: boolean('daily_reminder').notNull().default(false)
	},
	(t) => [primaryKey({ columns: [t.userId, t.courseId] })]
);
