// Who coaches: requests to become a coach and the admins' decisions; assistant coaches of a
// team; the athletes an assignment was given to when the coach chose them by name; and the
// extra time a team gives its athletes, with the record of who set which extra time.
import {
	boolean,
	check,
	index,
	pgTable,
	primaryKey,
	real,
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

// Extra time a team's coach (or assistant) gives an athlete: it applies only to the courses that
// team assigned them, and never lowers the site-wide extra time an admin set
// (users.time_multiplier); the larger of the two counts (see teams/accommodation.ts).
export const teamAccommodations = pgTable(
	'team_accommodations',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		multiplier: real('multiplier').notNull(),
		setBy: uuid('set_by').references(() => users.id, { onDelete: 'set null' }),
		setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.teamId, t.userId] }),
		index('team_accommodations_user_id_idx').on(t.userId),
		check('team_accommodations_multiplier_check', sql`${t.multiplier} between 1 and 4`)
	]
);

// Every change of someone's extra time: site-wide by an admin (team_id null; changed_by null from
// the command line) or for one team by its coach. carried_over marks the team rows copied at
// upgrade from the one site-wide value coaches and admins shared before per-team extra time
// (drizzle/0021). Removed with the account (it can reveal a health accommodation).
export const accommodationChanges = pgTable(
	'accommodation_changes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
		multiplier: real('multiplier').notNull(),
		changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
		changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
		carriedOver: boolean('carried_over').notNull().default(false)
	},
	(t) => [index('accommodation_changes_user_id_idx').on(t.userId, t.changedAt)]
);

export type CoachRequest = typeof coachRequests.$inferSelect;
