// Quiz attempts (questions frozen as drawn, answers, grade) and the audit of regrades.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	integer,
	jsonb,
	pgTable,
	real,
	text,
	timestamp,
	index,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { Answer } from '../../../quiz/answers';
import type { QuestionResult } from '../../../quiz/scoring';
import type { Question } from '../../../quiz/types';
import { users } from './auth';

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
		// Graded attempts with what progress and the coach's grid read of them, so those reads
		// are index-only scans and never touch the wide rows (questions, answers, results).
		index('quiz_attempts_graded_idx')
			.on(t.userId, t.courseId, t.quizId, t.submittedAt, t.percent, t.passed)
			.where(sql`${t.submittedAt} is not null`),
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
