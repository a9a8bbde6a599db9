// The database schema: learner state only. Course content lives in files (courses/).
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { Answer } from '../../quiz/answers';
import type { QuestionResult } from '../../quiz/scoring';
import type { Question } from '../../quiz/types';

export const roles = ['learner', 'coach', 'admin'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// Stored lower-cased and trimmed, so the unique index is case-insensitive.
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: text('role', { enum: roles }).notNull().default('learner'),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		// Extra time on timed quizzes (1.5 = half as long again), set by an admin or coach.
		timeMultiplier: real('time_multiplier').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('users_email_key').on(t.email),
		check('users_role_check', sql`${t.role} in ('learner', 'coach', 'admin')`)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		// SHA-256 of the session token (hex); the token itself is never stored.
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('sessions_user_id_idx').on(t.userId)]
);

// Failed-login counters, per account ("email:…"), per trusted device ("device:…"), per client
// address ("ip:…") and for password-change guesses, kept in the database so every app instance
// sees the same count. Rows idle for a day are swept away (see auth/throttle.ts).
export const loginThrottle = pgTable(
	'login_throttle',
	{
		key: text('key').primaryKey(),
		failures: integer('failures').notNull().default(0),
		lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
		lockedUntil: timestamp('locked_until', { withTimezone: true })
	},
	(t) => [index('login_throttle_last_failure_at_idx').on(t.lastFailureAt)]
);

// One row per sign-up attempt and client address, kept for an hour: the sign-up allowance is
// "at most N in any hour", which needs the times, not just a count.
export const signupAttempts = pgTable(
	'signup_attempts',
	{
		address: text('address').notNull(),
		attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull()
	},
	(t) => [
		index('signup_attempts_address_idx').on(t.address, t.attemptedAt),
		index('signup_attempts_attempted_at_idx').on(t.attemptedAt)
	]
);

// Secrets the app generates for itself on first use, such as the key that signs device cookies.
// Kept here so every app instance shares them without configuration.
export const serverSecrets = pgTable('server_secrets', {
	name: text('name').primaryKey(),
	value: text('value').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

// Learner state refers to content by stable ids (course, module, lesson, quiz, question) and
// records the content version it was made against; the content itself lives in courses/.

export const enrolments = pgTable(
	'enrolments',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		courseVersion: integer('course_version').notNull(),
		enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
		completedAt: timestamp('completed_at', { withTimezone: true })
	},
	(t) => [primaryKey({ columns: [t.userId, t.courseId] })]
);

export const lessonProgress = pgTable(
	'lesson_progress',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		lessonId: text('lesson_id').notNull(),
		lessonVersion: text('lesson_version').notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.courseId, t.lessonId] })]
);

export const quizAttempts = pgTable(
	'quiz_attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		quizId: text('quiz_id').notNull(),
		number: integer('number').notNull(),
		quizVersion: text('quiz_version').notNull(),
		// The pass mark in force when the attempt started; a later edit does not move it.
		passPercent: real('pass_percent'),
		// Secret per-attempt seed for the display order of ordering and matching answers. It must
		// never reach the browser: with it the shuffle could be undone to read the key.
		seed: text('seed').notNull().default(''),
		// The questions as drawn and ordered for this attempt, keys included: server-side only.
		questions: jsonb('questions').$type<Question[]>().notNull(),
		answers: jsonb('answers').$type<Record<string, Answer | null>>().notNull().default({}),
		// The newest autosave applied; an older one arriving late is refused (see saveAnswers).
		saveRevision: integer('save_revision').notNull().default(0),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
		deadlineAt: timestamp('deadline_at', { withTimezone: true }),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		score: real('score'),
		maxScore: real('max_score'),
		percent: real('percent'),
		passed: boolean('passed'),
		results: jsonb('results').$type<Record<string, QuestionResult>>()
	},
	(t) => [
		uniqueIndex('quiz_attempts_number_key').on(t.userId, t.courseId, t.quizId, t.number),
		// At most one open attempt per learner and quiz, even under parallel starts.
		uniqueIndex('quiz_attempts_one_open_key')
			.on(t.userId, t.courseId, t.quizId)
			.where(sql`${t.submittedAt} is null`),
		check(
			'quiz_attempts_graded_check',
			sql`(${t.submittedAt} is null) = (${t.score} is null and ${t.passed} is null and ${t.results} is null)`
		)
	]
);

export const gradeChanges = pgTable('grade_changes', {
	id: uuid('id').primaryKey().defaultRandom(),
	attemptId: uuid('attempt_id')
		.notNull()
		.references(() => quizAttempts.id, { onDelete: 'cascade' }),
	changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
	reason: text('reason').notNull(),
	quizVersion: text('quiz_version').notNull(),
	oldScore: real('old_score').notNull(),
	newScore: real('new_score').notNull(),
	oldPassed: boolean('old_passed').notNull(),
	newPassed: boolean('new_passed').notNull(),
	changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow()
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;

// The outbox of domain events ("attempt.graded", "module.completed", "course.completed"):
// written in the same transaction as the change they describe, so a handler (certificates,
// notifications) never misses one and never sees one for a change that was rolled back.
export const domainEvents = pgTable(
	'domain_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		type: text('type').$type<DomainEventType>().notNull(),
		userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id'),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
		// Set by the dispatcher once every handler has run.
		handledAt: timestamp('handled_at', { withTimezone: true })
	},
	(t) => [
		index('domain_events_unhandled_idx')
			.on(t.occurredAt)
			.where(sql`${t.handledAt} is null`),
		index('domain_events_user_idx').on(t.userId, t.occurredAt)
	]
);

export const domainEventTypes = [
	'lesson.completed',
	'attempt.graded',
	'module.completed',
	'course.completed'
] as const;
export type DomainEventType = (typeof domainEventTypes)[number];
export type DomainEventRow = typeof domainEvents.$inferSelect;
