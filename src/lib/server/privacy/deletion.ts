// Removing an account at its owner's request. The user row stays, emptied of everything that
// names the person, so their quiz answers still count in anonymised statistics (a coach's
// question view, which is why team memberships stay too, hidden from every roster); sessions and
// the throttling rows keyed by their email go.
// Certificates keep their code, so the verification page can say the holder removed the account
// instead of "no such certificate", but lose the holder's name.
import { eq, sql } from 'drizzle-orm';
import { formatWait } from '../../format';
import { db } from '../db';
import {
	certificates,
	coachRequests,
	emailOutbox,
	emailPreferences,
	notifications,
	sessions,
	teamInvitations,
	users,
	reviewCards,
	reviewDays,
	reviewSettings
} from '../db/schema';
import { dummyPasswordHash, verifyPassword } from '../auth/password';
import { clearFailures, reserveAttempt } from '../auth/throttle';

export const REMOVED_NAME = 'Removed account';

export type DeletionResult = { ok: true } | { ok: false; field: 'password'; message: string };

/** Needs the current password, throttled like a password change (a stolen session alone is not enough). */
export async function deleteAccount(userId: string, password: string): Promise<DeletionResult> {
	const [user] = await db().select().from(users).where(eq(users.id, userId));
	if (!user || user.deletedAt) return { ok: false, field: 'password', message: 'No such account.' };
	if (user.role !== 'learner')
		return {
			ok: false,
			field: 'password',
			message: `Coaches and admins cannot remove their own account here: ask an admin to set your role to learner first.`
		};
	const key = `password-change:${userId}`;
	const reserved = await reserveAttempt([{ key, kind: 'account' }]);
	if (!reserved.ok)
		return {
			ok: false,
			field: 'password',
			message: `Too many wrong attempts. Try again in ${formatWait(reserved.retryAfter)}.`
		};
	if (!(await verifyPassword(user.passwordHash, password)))
		return { ok: false, field: 'password', message: 'Your password is not correct.' };
	await clearFailures(key);
	// A hash of a random password nobody knows: the row can never be logged into again.
	const unusable = await dummyPasswordHash();
	await db().transaction(async (tx) => {
		await tx
			.update(users)
			.set({
				name: REMOVED_NAME,
				email: `removed-${userId}@removed.invalid`,
				passwordHash: unusable,
				certificateName: null,
				disabledAt: sql`now()`,
				deletedAt: sql`now()`
			})
			.where(eq(users.id, userId));
		await tx.delete(sessions).where(eq(sessions.userId, userId));
		// Notices, mails (which hold the address and names), preferences and the coach-request note
		// name or describe the person; invitations addressed to them hold their address.
		await tx.delete(notifications).where(eq(notifications.userId, userId));
		await tx.delete(emailOutbox).where(eq(emailOutbox.userId, userId));
		await tx.delete(emailPreferences).where(eq(emailPreferences.userId, userId));
		await tx.delete(coachRequests).where(eq(coachRequests.userId, userId));
		await tx.delete(teamInvitations).where(eq(teamInvitations.email, user.email));
		await tx.update(certificates).set({ holderName: '' }).where(eq(certificates.userId, userId));
		// Spaced review is the person's own practice: nothing of it is kept (logs go with cards).
		await tx.delete(reviewCards).where(eq(reviewCards.userId, userId));
		await tx.delete(reviewDays).where(eq(reviewDays.userId, userId));
		await tx.delete(reviewSettings).where(eq(reviewSettings.userId, userId));
		await tx.execute(sql`delete from login_throttle where key = ${'email:' + user.email}`);
	});
	return { ok: true };
}
