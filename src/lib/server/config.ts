// Runtime configuration from the environment. Kept free of SvelteKit imports so the
// CLIs in scripts/ share it with the app.
import os from 'node:os';
import path from 'node:path';

/** A setting the operator must fix: said in one line at start, without a stack trace. */
export class SettingError extends Error {}

export function dataDir(): string {
	return path.resolve(process.env.DATA_DIR || 'data');
}

/** External PostgreSQL, if configured; otherwise the embedded server is used. */
export function externalDatabaseUrl(): string | undefined {
	return process.env.DATABASE_URL || undefined;
}

/**
 * Connections the app keeps open to PostgreSQL: DATABASE_POOL_SIZE, else one per CPU core (at
 * least 2). Queries are short and postgres.js sends several down one connection at once, so a
 * small pool serves many requests; more connections than cores to run them only add switching
 * and a system call per query (measured on a 2-core machine: the lesson page cost about a quarter
 * less app CPU per request with 2 connections than with 10). A transaction holds a connection to
 * itself, so one more than the number of transactions you expect at once keeps other pages
 * answering.
 */
export function databasePoolSize(): number {
	const raw = process.env.DATABASE_POOL_SIZE?.trim();
	if (!raw) return Math.max(2, os.availableParallelism());
	const size = Number(raw);
	if (!Number.isInteger(size) || size < 1 || size > 100)
		throw new SettingError(
			`DATABASE_POOL_SIZE must be a whole number from 1 to 100 (it is "${raw}").`
		);
	return size;
}

/** Folders holding courses: COURSES_DIR, several separated by the path delimiter (":"). */
export function coursesDirs(): string[] {
	return (process.env.COURSES_DIR || 'courses')
		.split(path.delimiter)
		.filter(Boolean)
		.map((d) => path.resolve(d));
}

export function migrationsDir(): string {
	return path.resolve(process.env.MIGRATIONS_DIR || 'drizzle');
}

/** The site's name, printed on certificates and named as their issuer. */
export function siteName(): string {
	return process.env.SITE_NAME?.trim() || 'Stride Academy';
}

/** Outgoing mail: both SMTP_URL and MAIL_FROM, or undefined (mails are then held in the outbox). */
export function smtpSettings(): { url: string; from: string } | undefined {
	const url = process.env.SMTP_URL?.trim();
	const from = process.env.MAIL_FROM?.trim();
	return url && from ? { url, from } : undefined;
}
