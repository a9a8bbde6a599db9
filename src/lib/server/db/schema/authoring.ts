// Courses uploaded from the browser (/admin/courses): every package version as uploaded, with
// its courses:check messages, and which version of each course is published. Course files in
// courses/ stay the first source; these sit beside them.
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

export const coursePackages = pgTable(
	'course_packages',
	{
		courseId: text('course_id').notNull(),
		/** 1, 2, 3… per course, in upload order. */
		version: integer('version').notNull(),
		fileName: text('file_name').notNull(),
		/** The package's files by path inside the course folder, base64. */
		files: jsonb('files').$type<Record<string, string>>().notNull(),
		/** courses:check errors ({ file, line, message }); a package with any is never published. */
		problems: jsonb('problems')
			.$type<{ file: string; line?: number; message: string }[]>()
			.notNull(),
		warnings: jsonb('warnings').$type<string[]>().notNull(),
		uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.courseId, t.version] })]
);

export const publishedPackages = pgTable('published_packages', {
	courseId: text('course_id').primaryKey(),
	version: integer('version').notNull(),
	publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
	publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow()
});
