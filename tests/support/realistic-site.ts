// A site of realistic size for the backup tests: a few learners who took the fixture course
// through the platform's own services (accounts, lessons, a failed and a passed attempt,
// certificates), then grown to thousands of accounts by copying their rows (the benchmark's
// growTo), so the tables hold what the app writes, in the amounts a club's site reaches.
import path from 'node:path';
import { createUser } from '../../src/lib/server/auth/accounts';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import { closeDatabase, connect, useDatabase } from '../../src/lib/server/db';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { enrol } from '../../src/lib/server/learning/progress';
import type { Quiz } from '../../src/lib/quiz/types';
import { growTo } from '../../scripts/bench/seed';
import { takeQuiz } from './builders';

export const SEEDED_PASSWORD = 'plum-tractor-71';

export interface SiteSize {
	accounts: number;
	gradedAttempts: number;
	/** The public tables' rows as COPY text: what a backup holds before compression. */
	rowBytes: number;
}

/**
 * Fills the (running, migrated) database at `url` to at least `accounts` accounts; the first
 * learner is `learner0@backup.test` with SEEDED_PASSWORD. Returns what it holds.
 */
export async function seedRealisticSite(url: string, accounts = 3_000): Promise<SiteSize> {
	const { db, client } = connect(url, 4);
	useDatabase(db, client);
	try {
		const course = loadCourse(path.resolve('tests/fixtures/courses/fixture-course')).course!;
		useCourses([course]);
		const templates: { id: string; cookie: string }[] = [];
		for (let i = 0; i < 12; i++) {
			const made = await createUser({
				name: `Learner ${i}`,
				email: `learner${i}@backup.test`,
				password: SEEDED_PASSWORD
			});
			if (!made.ok) throw new Error(made.message);
			const id = made.value.id;
			await enrol(id, course);
			for (const l of course.lessons) await markLessonDone(id, course, l);
			const take = (quiz: Quiz, right: boolean) => takeQuiz(id, course, quiz, right);
			// A failed try, then passes; half of them finish with the final exam (a certificate).
			await take(course.modules[0]!.quiz!, false);
			await take(course.modules[0]!.quiz!, true);
			await take(course.modules[1]!.quiz!, true);
			if (i % 2 === 0) await take(course.finalExam!, true);
			templates.push({ id, cookie: '' });
		}
		await growTo(accounts, templates);
		return await siteSize(client);
	} finally {
		await closeDatabase();
	}
}

async function siteSize(sql: ReturnType<typeof connect>['client']): Promise<SiteSize> {
	const [row] = await sql<{ accounts: number; graded: number }[]>`
		select (select count(*)::int from users) as accounts,
		       (select count(*)::int from quiz_attempts where submitted_at is not null) as graded`;
	const tables = await sql<{ name: string }[]>`
		select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		 where n.nspname = 'public' and c.relkind = 'r'`;
	let rowBytes = 0;
	for (const t of tables) {
		const [size] = await sql<{ bytes: string | null }[]>`
			select sum(octet_length(t::text))::bigint as bytes from ${sql(t.name)} t`;
		rowBytes += Number(size?.bytes ?? 0);
	}
	return { accounts: row!.accounts, gradedAttempts: row!.graded, rowBytes };
}
