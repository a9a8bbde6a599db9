// The learner's time zone: the one account setting every page that shows a time reads.
import { and, eq, isNull } from 'drizzle-orm';
import { db } from '../db';
import { users } from '../db/schema';

/**
 * Saves the zone (already validated). `onlyIfUnset` is the browser's guess on a first visit:
 * it never replaces a zone the learner chose.
 */
export async function setTimeZone(userId: string, zone: string, onlyIfUnset = false) {
	await db()
		.update(users)
		.set({ timeZone: zone })
		.where(onlyIfUnset ? and(eq(users.id, userId), isNull(users.timeZone)) : eq(users.id, userId));
}
