// Coaches' teams, the athletes who accepted an invitation to them, the invitations themselves,
// and the record of role changes (who became a coach, and who decided it).
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { roles, users } from './auth';

export const teams = pgTable(
	'teams',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		coachId: uuid('coach_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		season: text('season'),
		description: text('description'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('teams_coach_id_idx').on(t.coachId)]
);

// A row exists only while the athlete remains: leaving deletes it, and with it the coach's access.
export const teamMembers = pgTable(
	'team_members',
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
		index('team_members_user_id_idx').on(t.userId)
	]
);

export const teamInvitations = pgTable(
	'team_invitations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		// 128 random bits, base64url: the link is the secret, so it must not be guessable.
		code: text('code').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		maxUses: integer('max_uses').notNull(),
		// Set for an invitation by email: only the account with this address (lower-cased) may
		// accept it. Null for a shareable link.
		email: text('email'),
		// Who the invitation makes you: an athlete (shares their data) or an assistant coach.
		role: text('role', { enum: ['athlete', 'assistant'] })
			.notNull()
			.default('athlete'),
		uses: integer('uses').notNull().default(0),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('team_invitations_code_key').on(t.code),
		index('team_invitations_team_id_idx').on(t.teamId),
		index('team_invitations_email_idx').on(t.email),
		check('team_invitations_uses_check', sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxUses}`)
	]
);

// A course given to a whole team; members (present and future) are enrolled in it. Withdrawing
// stamps withdrawn_at and leaves every enrolment and its progress alone.
export const teamAssignments = pgTable(
	'team_assignments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		dueAt: timestamp('due_at', { withTimezone: true }),
		note: text('note'),
		// False when the coach chose athletes (team_assignment_athletes); later joiners then
		// do not get it.
		wholeTeam: boolean('whole_team').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true })
	},
	(t) => [index('team_assignments_team_id_idx').on(t.teamId)]
);

export const roleChanges = pgTable(
	'role_changes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		// Null when the change came from the command line rather than an admin's page.
		changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
		fromRole: text('from_role', { enum: roles }).notNull(),
		toRole: text('to_role', { enum: roles }).notNull(),
		changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('role_changes_changed_at_idx').on(t.changedAt)]
);

export type Team = typeof teams.$inferSelect;
export type TeamInvitation = typeof teamInvitations.$inferSelect;
export type TeamAssignment = typeof teamAssignments.$inferSelect;
