// Cards for attempts graded before spaced review existed: an idempotent start-up job (not a
// migration, because FSRS runs in TypeScript). It finds learners with graded attempts in a
// course but no quiz cards there, and replays their attempts in order through the same code
// grading uses, so each card ends up where FSRS would have put it. Running it again, or on
// several instances at once, finds nothing left to do.
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { db } from '../db';
import { quizAttempts, reviewCards } from '../db/schema';
import { cardsFromAttempt } from './cards';

const BATCH = 50;

/** Learner and course pairs with graded attempts and no quiz card yet. */
const withoutCards = sql`not exists (select 1 from ${reviewCards} c where c.user_id = ${quizAttempts.userId} and c.course_id = ${quizAttempts.courseId} and c.item_key like 'quiz:%')`;

/** Returns how many learner-course pairs got their cards. */
export async function backfillReviewCards(): Promise<number> {
	let done = 0;
	for (;;) {
		const pairs = await db()
			.selectDistinct({ userId: quizAttempts.userId, courseId: quizAttempts.courseId })
			.from(quizAttempts)
			.where(and(isNotNull(quizAttempts.submittedAt), withoutCards))
			.limit(BATCH);
		if (!pairs.length) return done;
		for (const pair of pairs) {
			const made = await db().transaction(async (tx) => {
				// Same lock as grading (learning/completion.ts): a live submit waits, then sees the cards.
				await tx.execute(
					sql`select pg_advisory_xact_lock(hashtextextended(${`progress:${pair.userId}:${pair.courseId}`}, 0))`
				);
				const attempts = await tx
					.select()
					.from(quizAttempts)
					.where(
						and(
							eq(quizAttempts.userId, pair.userId),
							eq(quizAttempts.courseId, pair.courseId),
							isNotNull(quizAttempts.submittedAt),
							withoutCards
						)
					)
					.orderBy(asc(quizAttempts.submittedAt));
				for (const attempt of attempts) await cardsFromAttempt(tx, attempt);
				return attempts.length > 0;
			});
			if (made) done++;
		}
	}
}
