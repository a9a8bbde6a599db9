// Enrolments and lessons done. Course content lives in files (courses/), not here.
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

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
