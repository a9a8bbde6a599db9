// Each person's email setting and the unguessable token their unsubscribe link carries. A person
// without a row has emails on; the row (and its token) is made with their first email.
import { randomBytes } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { now } from '../clock';
import { db, type Executor } from '../db';
import { emailPreferences, users } from '../db/schema';
import { unsubscribeUrl } from '../../routes';

const TOKEN = /^[A-Za-z0-9_-]{22}$/;
const newToken = () => randomBytes(16).toString('base64url');

/** Each person's token and whether they still want email, making the rows that are missing. */
export async function preferencesFor(
	ex: Executor,
	userIds: string[]
): Promise<Map<string, { token: string; emailOn: boolean }>> {
	const ids = [...new Set(userIds)];
	if (!ids.length) return new Map();
	await ex
		.insert(emailPreferences)
		.values(ids.map((userId) => ({ userId, unsubscribeToken: newToken() })))
		.onConflictDoNothing();
	const rows = await ex
		.select()
		.from(emailPreferences)
		.where(inArray(emailPreferences.userId, ids));
	return new Map(
		rows.map((r) => [r.userId, { token: r.unsubscribeToken, emailOn: !r.remindersOffAt }])
	);
}

/** The unsubscribe link on the site at `siteAddress` (site/address.ts). */
export const unsubscribeLink = (token: string, siteAddress: string) =>
	new URL(unsubscribeUrl(token), siteAddress).href;

export async function emailRemindersOn(userId: string): Promise<boolean> {
	const [row] = await db()
		.select({ off: emailPreferences.remindersOffAt })
		.from(emailPreferences)
		.where(eq(emailPreferences.userId, userId));
	return !row?.off;
}

export async function setEmailReminders(userId: string, on: boolean): Promise<void> {
	await db()
		.insert(emailPreferences)
		.values({ userId, unsubscribeToken: newToken(), remindersOffAt: on ? null : now() })
		.onConflictDoUpdate({
			target: emailPreferences.userId,
			set: { remindersOffAt: on ? null : now() }
		});
}

/** What the unsubscribe page shows: whose link it is (the address half hidden), and its state. */
export async function unsubscribeView(
	token: string
): Promise<{ email: string; emailOn: boolean } | undefined> {
	if (!TOKEN.test(token)) return undefined;
	const [row] = await db()
		.select({ email: users.email, off: emailPreferences.remindersOffAt })
		.from(emailPreferences)
		.innerJoin(users, eq(users.id, emailPreferences.userId))
		.where(eq(emailPreferences.unsubscribeToken, token));
	return row && { email: maskEmail(row.email), emailOn: !row.off };
}

/** Turns email reminders off for the token's owner; false for a token nobody has. */
export async function unsubscribe(token: string): Promise<boolean> {
	if (!TOKEN.test(token)) return false;
	const done = await db()
		.update(emailPreferences)
		.set({ remindersOffAt: now() })
		.where(eq(emailPreferences.unsubscribeToken, token))
		.returning({ userId: emailPreferences.userId });
	return done.length > 0;
}

/** "runner@example.com" → "ru…@example.com": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	return at <= 0 ? '…' : `${email.slice(0, Math.min(2, at))}…${email.slice(at)}`;
}
