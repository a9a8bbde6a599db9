// The optional daily review reminder: a learner who asked for it (per course, off by default) gets
// one mail a day, in their own day, while cards are due. Queued through the outbox by the job
// queue's reminder scan; the dedupe key makes every later scan that day a no-op.
import { and, count, eq, isNull, lte } from 'drizzle-orm';
import { db } from '../db';
import { reviewCards, reviewSettings, users } from '../db/schema';
import { publicAddress } from '../site/address';
import { queueMails } from '../mail/outbox';
import { localDay } from '../../time';
import { reviewUrl } from '../../routes';

export async function queueReviewReminders(at: Date): Promise<number> {
	const due = await db()
		.select({
			userId: users.id,
			email: users.email,
			zone: users.timeZone,
			cards: count()
		})
		.from(reviewSettings)
		.innerJoin(users, eq(users.id, reviewSettings.userId))
		.innerJoin(
			reviewCards,
			and(
				eq(reviewCards.userId, reviewSettings.userId),
				eq(reviewCards.courseId, reviewSettings.courseId),
				eq(reviewCards.active, true),
				isNull(reviewCards.retiredAt),
				lte(reviewCards.dueAt, at)
			)
		)
		.where(
			and(
				eq(reviewSettings.dailyReminder, true),
				eq(reviewSettings.enabled, true),
				isNull(users.deletedAt),
				isNull(users.disabledAt)
			)
		)
		.groupBy(users.id, users.email, users.timeZone);
	const link = new URL(reviewUrl, await publicAddress()).href;
	return queueMails(
		db(),
		due.map((r) => ({
			userId: r.userId,
			to: r.email,
			kind: 'review-reminder',
			subject: `${r.cards} review ${r.cards === 1 ? 'card is' : 'cards are'} due today`,
			text:
				`You have ${r.cards} review ${r.cards === 1 ? 'card' : 'cards'} waiting: a few minutes ` +
				`keeps what you learned fresh.\n\nReview here: ${link}\n\n` +
				'You asked for this daily reminder; switch it off in your review settings.',
			dedupeKey: `review-reminder:${r.userId}:${localDay(at, r.zone)}`
		})),
		at
	);
}
