// Certificates: one per learner and course version, issued in the transaction that completes the
// course. The record, not the document, is what the verification page shows.
import { sql } from 'drizzle-orm';
import {
	index,
	integer,
	pgTable,
	real,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './auth';

export const certificates = pgTable(
	'certificates',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: text('course_id').notNull(),
		courseVersion: integer('course_version').notNull(),
		// At least 128 random bits, URL-safe: the verification address and the credential id.
		code: text('code').notNull(),
		// Facts as issued (the course file may change later).
		holderName: text('holder_name').notNull(),
		courseTitle: text('course_title').notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
		scorePercent: real('score_percent'),
		estimatedHours: real('estimated_hours').notNull(),
		issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
		// A name change re-issues the documents under the same code.
		reissuedAt: timestamp('reissued_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		revokedReason: text('revoked_reason'),
		// A regrade dropped the learner below a pass mark after issue: for an admin to decide.
		basisChangedAt: timestamp('basis_changed_at', { withTimezone: true }),
		// The certificate's bit in the public revocation lists (W3C Bitstring Status List). An
		// identity, so PostgreSQL numbers existing rows when the column is added.
		statusListIndex: integer('status_list_index')
			.notNull()
			.generatedByDefaultAsIdentity({ startWith: 0, minValue: 0 })
	},
	(t) => [
		uniqueIndex('certificates_once_key').on(t.userId, t.courseId, t.courseVersion),
		uniqueIndex('certificates_code_key').on(t.code),
		uniqueIndex('certificates_status_list_index_key').on(t.statusListIndex),
		index('certificates_basis_changed_idx')
			.on(t.basisChangedAt)
			.where(sql`${t.basisChangedAt} is not null`)
	]
);

export const certificateActions = [
	'issued',
	'reissued',
	'revoked',
	'reinstated',
	'basis-changed'
] as const;
export type CertificateAction = (typeof certificateActions)[number];

/** Every change to a certificate: who, when, why. */
export const certificateHistory = pgTable(
	'certificate_history',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		certificateId: uuid('certificate_id')
			.notNull()
			.references(() => certificates.id, { onDelete: 'cascade' }),
		action: text('action').$type<CertificateAction>().notNull(),
		by: uuid('by').references(() => users.id, { onDelete: 'set null' }),
		reason: text('reason'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('certificate_history_certificate_idx').on(t.certificateId, t.at)]
);

export type Certificate = typeof certificates.$inferSelect;
