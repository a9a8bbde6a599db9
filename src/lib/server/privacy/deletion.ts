// Removing an account at its owner's request. The user row stays, emptied of everything that
// names or describes the person (time zone and extra time too), so their quiz answers still
// count in anonymised statistics (a coach's question view, which is why team memberships stay
// too, hidden from every roster); sessions, extra-time records and the throttling rows keyed by
// their email go, and other people's mails that name them lose the name.
// Certificates keep their code, so the verification page can say the holder removed the account
// instead of "no such certificate", but lose the holder's name.
import { eq, or, sql } from 'drizzle-orm';
import { formatWait } from '../../format';
import { db, type Transaction } from '../db';
import {
	accommodationChanges,
	certificates,
	coachRequests,
	emailOutbox,
	emailPreferences,
	notifications,
	passwordResetTokens,
	sessions,
	teamAccommodations,
	teamInvitations,
	users
} from '../db/schema';
import { dummyPasswordHash, verifyPassword } from '../auth/password';
import { adminUsersUrl } from '../../routes';
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
				// A time zone says where someone lives; extra time can reveal a health condition.
				timeZone: null,
				timeMultiplier: 1,
				disabledAt: sql`now()`,
				deletedAt: sql`now()`
			})
			.where(eq(users.id, userId));
		await tx.delete(sessions).where(eq(sessions.userId, userId));
		// Notices, mails (which hold the address and names), preferences and the coach-request note
		// name or describe the person; invitations addressed to them hold their address.
		await tx.delete(notifications).where(eq(notifications.userId, userId));
		await tx.delete(emailOutbox).where(eq(emailOutbox.userId, userId));
		// Mails written before the account existed (an email invitation) carry only the address;
		// a coach's request to the admins for a reset link names the person in the admins' list.
		await tx.delete(emailOutbox).where(eq(emailOutbox.toAddress, user.email));
		await tx.delete(notifications).where(eq(notifications.href, `${adminUsersUrl}#user-${userId}`));
		await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
		await tx.delete(emailPreferences).where(eq(emailPreferences.userId, userId));
		await tx.delete(coachRequests).where(eq(coachRequests.userId, userId));
		await tx.delete(teamInvitations).where(eq(teamInvitations.email, user.email));
		await tx.update(certificates).set({ holderName: '' }).where(eq(certificates.userId, userId));
		await tx.delete(teamAccommodations).where(eq(teamAccommodations.userId, userId));
		await tx.delete(accommodationChanges).where(eq(accommodationChanges.userId, userId));
		await tx
			.update(accommodationChanges)
			.set({ changedBy: null })
			.where(eq(accommodationChanges.changedBy, userId));
		await tx
			.update(teamAccommodations)
			.set({ setBy: null })
			.where(eq(teamAccommodations.setBy, userId));
		await removeFromOthersMail(tx, user.name, user.email);
		await tx.execute(sql`delete from login_throttle where key = ${'email:' + user.email}`);
	});
	return { ok: true };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeHtml = (s: string) =>
	s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');

/**
 * Other people's mails that name the person (a coach's weekly digest lists athletes by name),
 * sent or not, keep their place in the outbox (and on /admin/outbox) with the name and address
 * replaced. The name is matched as a whole word, so "Ann" leaves "Announcement" alone.
 */
async function removeFromOthersMail(tx: Transaction, name: string, email: string) {
	const found = await tx
		.select()
		.from(emailOutbox)
		.where(
			or(
				sql`position(${name} in ${emailOutbox.subject} || ${emailOutbox.textBody} || coalesce(${emailOutbox.htmlBody}, '')) > 0`,
				sql`position(${escapeHtml(name)} in coalesce(${emailOutbox.htmlBody}, '')) > 0`,
				sql`position(${email} in ${emailOutbox.subject} || ${emailOutbox.textBody} || coalesce(${emailOutbox.htmlBody}, '')) > 0`
			)
		);
	if (!found.length) return;
	const word = (s: string) =>
		new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(s)}(?![\\p{L}\\p{N}])`, 'gu');
	const scrub = (text: string) =>
		text
			.replaceAll(email, 'removed address')
			.replace(word(name), REMOVED_NAME)
			.replace(word(escapeHtml(name)), REMOVED_NAME);
	for (const mail of found)
		await tx
			.update(emailOutbox)
			.set({
				subject: scrub(mail.subject),
				textBody: scrub(mail.textBody),
				htmlBody: mail.htmlBody === null ? null : scrub(mail.htmlBody)
			})
			.where(eq(emailOutbox.id, mail.id));
}
