// Who coaches: requests to become a coach and the admins' decisions; assistant coaches of a
// team; and the athletes an assignment was given to when the coach chose them by name.
import {
	index,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './auth';
import { teamAssignments, teams } from './teams';

export const coachRequestStatuses = ['pending', 'approved', 'declined'] as const;
export type CoachRequestStatus = (typeof coachRequestStatuses)[number];

export const coachRequests = pgTable(
	'coach_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		note: text('note').notNull(),
		status: text('status', { enum: coachRequestStatuses }).notNull().default('pending'),
		// The admin's optional reason, shown to the user when declined.
		reason: text('reason'),
		decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('coach_requests_user_id_idx').on(t.userId, t.createdAt),
		// One open request per person, even under a double submit.
		uniqueIndex('coach_requests_one_pending_key')
			.on(t.userId)
			.where(sql`${t.status} = 'pending'`)
	]
);

// Assistant coaches see a team as its coach does, but cannot delete it or remove its coach.
export const teamAssistants = pgTable(
	'team_assistants',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.teamId, t.userId] }),
		index('team_assistants_user_id_idx').on(t.userId)
	]
);

export const teamAssignmentAthletes = pgTable(
	'team_assignment_athletes',
	{
		assignmentId: uuid('assignment_id')
			.notNull()
			.references(() => teamAssignments.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [
		primaryKey({ columns: [t.assignmentId, t.userId] }),
		index('team_assignment_athletes_user_id_idx').on(t.userId)
	]
);

export type CoachRequest = typeof coachRequests.$inferSelect;
