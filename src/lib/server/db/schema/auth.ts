// Accounts, sessions, log-in and sign-up throttling, and the secrets the app generates for itself.
import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';

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
		// Site-wide extra time on timed quizzes (1.5 = half as long again), set by an admin (before
		// per-team extra time, by coaches too: see drizzle/0021); a team's is in team_accommodations.
		timeMultiplier: real('time_multiplier').notNull().default(1),
		// The name printed on certificates, when it differs from the display name.
		certificateName: text('certificate_name'),
		// IANA zone the learner's times are shown in; null until set (the browser's is used then).
		timeZone: text('time_zone'),
		// Set when the person removed their account: the row stays, emptied of personal data, so
		// their quiz answers still count in anonymised statistics (see privacy/deletion.ts).
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
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

// Password reset links: only the SHA-256 of the link's token is kept (like sessions), with an
// expiry of at most an hour. Every row of an account goes when one is used (single use, and
// older links die with it); `createdBy` is the admin who made the link by hand, null when mailed.
export const passwordResetTokens = pgTable(
	'password_reset_tokens',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('password_reset_tokens_user_id_idx').on(t.userId)]
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

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
