// In-app notifications for athletes, the outbox every email goes through, and each person's
// email settings (with the token their unsubscribe link carries).
import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { teamAssignments } from './teams';

export const notificationKinds = [
	'assignment.new',
	'assignment.due-soon',
	'assignment.overdue',
	'invitation',
	'coach-request.decided',
	// To admins: a coach asks for a password reset link for an athlete (teams/password-help.ts).
	'password-reset.request'
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<NotificationKind>().notNull(),
		assignmentId: uuid('assignment_id').references(() => teamAssignments.id, {
			onDelete: 'cascade'
		}),
		message: text('message').notNull(),
		detail: text('detail'),
		href: text('href'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		index('notifications_user_idx').on(t.userId, t.createdAt),
		// The header's unread count reads only this.
		index('notifications_unread_idx')
			.on(t.userId)
			.where(sql`${t.readAt} is null`),
		// Once per assignment, athlete and kind, however many app instances scan at once.
		uniqueIndex('notifications_once_key')
			.on(t.userId, t.assignmentId, t.kind)
			.where(sql`${t.assignmentId} is not null`)
	]
);

export const emailStatuses = ['held', 'queued', 'sending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof emailStatuses)[number];

// Every email, written before it is sent (in the transaction that caused it), so nothing is lost:
// held when no SMTP server is configured, queued until a worker sends it, then sent or failed.
export const emailOutbox = pgTable(
	'email_outbox',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
		kind: text('kind').notNull(),
		// Makes a mail that must go once (a coach's weekly digest) unique, across app instances.
		dedupeKey: text('dedupe_key'),
		toAddress: text('to_address').notNull(),
		subject: text('subject').notNull(),
		textBody: text('text_body').notNull(),
		htmlBody: text('html_body'),
		unsubscribeUrl: text('unsubscribe_url'),
		status: text('status').$type<EmailStatus>().notNull(),
		// Why it is held, or why the last attempt failed.
		reason: text('reason'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		index('email_outbox_created_idx').on(t.createdAt),
		index('email_outbox_due_idx')
			.on(t.nextAttemptAt)
			.where(sql`${t.status} = 'queued'`),
		uniqueIndex('email_outbox_dedupe_key').on(t.dedupeKey),
		check(
			'email_outbox_status_check',
			sql`${t.status} in ('held', 'queued', 'sending', 'sent', 'failed')`
		)
	]
);

// A row appears with a person's first email; none means emails are on.
export const emailPreferences = pgTable(
	'email_preferences',
	{
		userId: uuid('user_id')
			.primaryKey()
			.references(() => users.id, { onDelete: 'cascade' }),
		// 128 random bits: the unsubscribe link works without logging in, so it must not be guessable.
		unsubscribeToken: text('unsubscribe_token').notNull(),
		remindersOffAt: timestamp('reminders_off_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('email_preferences_token_key').on(t.unsubscribeToken)]
);

export type Notification = typeof notifications.$inferSelect;
export type OutboxEmail = typeof emailOutbox.$inferSelect;
