// Password reset (OWASP Forgot Password cheat sheet, Lucia's guide): a link with a random token
// (25 bytes, base32, like a session token) of which only the SHA-256 is stored, valid for an
// hour and once. Using it sets the password, ends every session of the account, removes every
// other reset link of it and mails a notice. Asking for a link answers the same whether or not
// the address has an account; the mail is written after the answer has gone, so the time taken
// does not tell either.
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { passwordResetTokens, users, type User } from '../db/schema';
import { queueMails } from '../mail/outbox';
import { kickMailer } from '../jobs/queue';
import { siteName } from '../config';
import { publicAddress } from '../site/address';
import type { Executor } from '../db';
import { resetPasswordUrl, resetRequestUrl } from '../../routes';
import { normaliseEmail, type AccountResult } from './accounts';
import { hashPassword, passwordProblem } from './password';
import { generateSessionToken, sessionIdFromToken } from './session';
import { reserveInHour } from './signup-limit';
import { clearFailures, type Reservation } from './throttle';

const MINUTE = 60_000;
/** How long a link works. OWASP asks for "an appropriate period"; an hour is Lucia's upper end. */
export const RESET_TTL = 60 * MINUTE;
const TOKEN_SHAPE = /^[a-z2-7]{40}$/;

/** Links asked for per email address (known or not) and per client address, in any hour. */
const perEmail = () => Number(process.env.RESET_EMAIL_ALLOWANCE) || 3;
const perAddress = () => Number(process.env.RESET_ADDRESS_ALLOWANCE) || 30;

/** Makes a reset link's token for the account; only its hash is stored. */
export async function createResetToken(
	userId: string,
	createdBy: string | null = null,
	at: Date = now()
): Promise<string> {
	const token = generateSessionToken();
	await db()
		.insert(passwordResetTokens)
		.values({
			id: sessionIdFromToken(token),
			userId,
			createdBy,
			createdAt: at,
			expiresAt: new Date(at.getTime() + RESET_TTL)
		});
	return token;
}

/** The link to a reset page, on the site's public address (never a request header). */
export const resetLink = async (token: string, ex?: Executor) =>
	new URL(resetPasswordUrl(token), await publicAddress(ex)).href;
const requestPage = async (ex?: Executor) => new URL(resetRequestUrl, await publicAddress(ex)).href;

/**
 * A reset link an admin makes by hand (the users page or `npm run admin -- reset-link`), for a
 * site without mail or a person whose mail does not arrive. Shown once: only its hash is kept.
 * Disabled and removed accounts get none.
 */
export async function adminResetLink(
	target: { id: string } | { email: string },
	adminId: string | null,
	at: Date = now()
): Promise<{ url: string; email: string; expiresAt: Date } | undefined> {
	const [user] = await db()
		.select({ id: users.id, email: users.email })
		.from(users)
		.where(
			and(
				'id' in target ? eq(users.id, target.id) : eq(users.email, normaliseEmail(target.email)),
				isNull(users.disabledAt),
				isNull(users.deletedAt)
			)
		);
	if (!user) return undefined;
	const token = await createResetToken(user.id, adminId, at);
	return {
		url: await resetLink(token),
		email: user.email,
		expiresAt: new Date(at.getTime() + RESET_TTL)
	};
}

/**
 * Counts a request for a link against the email and the client address. Done for every
 * request, whether the email has an account or not, so a refusal says nothing about it either.
 */
export async function reserveResetRequest(
	email: string,
	address: string | null
): Promise<Reservation> {
	if (address) {
		const byAddress = await reserveInHour(`reset-ip:${address}`, perAddress());
		if (!byAddress.ok) return byAddress;
	}
	return reserveInHour(`reset-email:${normaliseEmail(email)}`, perEmail());
}

/**
 * Writes the reset mail when the email belongs to an active account; does nothing otherwise.
 * Called after the answer is sent (see the route), so its cost is not seen by the asker.
 */
export async function mailResetLink(emailInput: string, at: Date = now()): Promise<boolean> {
	const email = normaliseEmail(emailInput);
	const [user] = await db()
		.select({ id: users.id, email: users.email, name: users.name })
		.from(users)
		.where(and(eq(users.email, email), isNull(users.disabledAt), isNull(users.deletedAt)));
	if (!user) return false;
	await sweepExpiredResetTokens(at);
	const token = await createResetToken(user.id, null, at);
	await queueMails(
		db(),
		[
			{
				userId: user.id,
				to: user.email,
				kind: 'password.reset-link',
				essential: true,
				subject: `Reset your password on ${siteName()}`,
				text: [
					`Someone (we hope you) asked to reset the password of your ${siteName()} account.`,
					`Choose a new password here, within the next hour: ${await resetLink(token)}`,
					'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
					`A new link can be asked for at ${await requestPage()}`
				].join('\n\n')
			}
		],
		at
	);
	await kickMailer();
	return true;
}

/** The account a link is for while it still works, or undefined (unknown, used or expired). */
export async function accountForResetToken(
	token: string,
	at: Date = now()
): Promise<Pick<User, 'id' | 'name' | 'email'> | undefined> {
	if (!TOKEN_SHAPE.test(token)) return undefined;
	const [row] = await db()
		.select({ id: users.id, name: users.name, email: users.email })
		.from(passwordResetTokens)
		.innerJoin(users, eq(users.id, passwordResetTokens.userId))
		.where(
			and(
				eq(passwordResetTokens.id, sessionIdFromToken(token)),
				gt(passwordResetTokens.expiresAt, at),
				isNull(users.disabledAt),
				isNull(users.deletedAt)
			)
		);
	return row;
}

export const LINK_NOT_VALID =
	'This reset link has expired or has already been used. Ask for a new one.';

/**
 * Sets a new password with a link's token. The token's row is deleted in the same transaction
 * that changes the password, and only the request that deleted it goes on: of parallel uses of
 * one link, exactly one succeeds. The account's sessions (every browser) and its other links
 * go too; a notice is mailed to the account's address.
 */
export async function resetPassword(
	token: string,
	password: string,
	at: Date = now()
): Promise<AccountResult<{ userId: string }>> {
	const account = await accountForResetToken(token, at);
	if (!account) return { ok: false, field: 'form', message: LINK_NOT_VALID };
	const problem = passwordProblem(password, [account.name, account.email.split('@')[0] ?? '']);
	if (problem) return { ok: false, field: 'password', message: problem };
	const passwordHash = await hashPassword(password);
	const done = await db().transaction(async (tx) => {
		const [used] = await tx
			.delete(passwordResetTokens)
			.where(
				and(
					eq(passwordResetTokens.id, sessionIdFromToken(token)),
					eq(passwordResetTokens.userId, account.id),
					gt(passwordResetTokens.expiresAt, at)
				)
			)
			.returning({ userId: passwordResetTokens.userId });
		if (!used) return false;
		await tx.update(users).set({ passwordHash }).where(eq(users.id, account.id));
		await tx.execute(sql`delete from sessions where user_id = ${account.id}`);
		await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, account.id));
		await queueMails(
			tx,
			[
				{
					userId: account.id,
					to: account.email,
					kind: 'password.changed',
					essential: true,
					subject: `Your ${siteName()} password was changed`,
					text: [
						`The password of your ${siteName()} account was changed with a reset link, and every browser logged in to it was logged out.`,
						`If that was not you, ask for a new link at ${await requestPage(tx)} straight away, and tell the people who run this site.`
					].join('\n\n')
				}
			],
			at
		);
		return true;
	});
	if (!done) return { ok: false, field: 'form', message: LINK_NOT_VALID };
	// The owner proved control of the address: failures others caused no longer lock them out.
	await clearFailures(`email:${account.email}`);
	await kickMailer();
	return { ok: true, value: { userId: account.id } };
}

/** Removes links past their hour (called when new ones are made, so the table stays small). */
export async function sweepExpiredResetTokens(at: Date = now()): Promise<void> {
	await db().delete(passwordResetTokens).where(lte(passwordResetTokens.expiresAt, at));
}
