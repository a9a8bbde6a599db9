// The outbox of domain events that handlers (certificates, notifications) run from.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

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
