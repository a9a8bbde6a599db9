// Password reset on PostgreSQL: links stored only as hashes, an hour long, single use (also
// under ten parallel uses), bound to their account; a reset ends every session and every other
// link of the account and mails a notice; asking answers alike for unknown addresses.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createUser } from '../../src/lib/server/auth/accounts';
import {
	adminResetLink,
	createResetToken,
	LINK_NOT_VALID,
	mailResetLink,
	reserveResetRequest,
	resetPassword
} from '../../src/lib/server/auth/password-reset';
import {
	createSession,
	generateSessionToken,
	sessionIdFromToken
} from '../../src/lib/server/auth/session';
import { setEmailReminders } from '../../src/lib/server/mail/preferences';
import { advanceClock, resetClock } from '../../src/lib/server/clock';
import { emailOutbox, passwordResetTokens, sessions, users } from '../../src/lib/server/db/schema';
import { freshDatabase } from '../support/fresh-database';

const PASSWORD = 'plum-tractor-71';
const NEW_PASSWORD = 'copper-lantern-58';
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let n = 0;

beforeAll(async () => {
	({ db } = await freshDatabase());
});
afterEach(() => resetClock());

async function person() {
	const made = await createUser({
		name: 'Reset Runner',
		email: `reset-${++n}@example.com`,
		password: PASSWORD
	});
	if (!made.ok) throw new Error(made.message);
	return made.value;
}

const hashOf = async (id: string) =>
	(await db.select({ h: users.passwordHash }).from(users).where(eq(users.id, id)))[0]!.h;
const mailsTo = (to: string) => db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
const linkIn = (text: string) => /\/reset-password\/([a-z2-7]{40})\b/.exec(text)?.[1];

describe('asking for a reset link', () => {
	it('mails a link to an account, stored only as its SHA-256, even with reminders turned off', async () => {
		const user = await person();
		await setEmailReminders(user.id, false);
		expect(await mailResetLink(user.email.toUpperCase())).toBe(true);
		const [mail] = await mailsTo(user.email);
		expect(mail?.kind).toBe('password.reset-link');
		const token = linkIn(mail!.textBody)!;
		expect(token).toBeTruthy();
		expect(mail!.textBody).not.toContain('To stop these emails');
		const rows = await db
			.select()
			.from(passwordResetTokens)
			.where(eq(passwordResetTokens.userId, user.id));
		expect(rows.map((r) => r.id)).toEqual([sessionIdFromToken(token)]);
		expect(JSON.stringify(rows)).not.toContain(token);
		const ttl = rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime();
		expect(ttl).toBeLessThanOrEqual(60 * 60_000);
	});

	it('writes nothing for an unknown address, and limits both alike per address and per email', async () => {
		expect(await mailResetLink('nobody-at-all@example.com')).toBe(false);
		expect(await mailsTo('nobody-at-all@example.com')).toEqual([]);
		const known = await person();
		const outcomes = async (email: string, address: string) => {
			const out = [];
			for (let i = 0; i < 4; i++) out.push((await reserveResetRequest(email, address)).ok);
			return out;
		};
		const a = await outcomes(known.email, '10.40.0.1');
		const b = await outcomes('unknown-reset@example.com', '10.40.0.2');
		expect(a).toEqual([true, true, true, false]);
		expect(b).toEqual(a);
		// Per address: 30 in any hour, whichever emails they name.
		let refused = 0;
		for (let i = 0; i < 32; i++)
			if (!(await reserveResetRequest(`spray-${i}@example.com`, '10.40.0.3')).ok) refused++;
		expect(refused).toBe(2);
	});
});

describe('using a reset link', () => {
	it('sets the password, ends every session and every other link, and mails a notice', async () => {
		const user = await person();
		for (let i = 0; i < 2; i++) await createSession(generateSessionToken(), user.id);
		const first = await createResetToken(user.id);
		const second = await createResetToken(user.id);
		const result = await resetPassword(first, NEW_PASSWORD);
		expect(result).toEqual({ ok: true, value: { userId: user.id } });
		expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
		expect((await authenticate(user.email, NEW_PASSWORD, null)).ok).toBe(true);
		expect((await authenticate(user.email, PASSWORD, null)).ok).toBe(false);
		// Reused, or another link of the same account: both dead.
		expect(await resetPassword(first, 'another-pass-92')).toMatchObject({
			ok: false,
			message: LINK_NOT_VALID
		});
		expect(await resetPassword(second, 'another-pass-92')).toMatchObject({
			ok: false,
			message: LINK_NOT_VALID
		});
		expect((await mailsTo(user.email)).map((m) => m.kind)).toContain('password.changed');
	});

	it('refuses an expired link (after an hour) and leaves the password as it was', async () => {
		const user = await person();
		const before = await hashOf(user.id);
		const token = await createResetToken(user.id);
		advanceClock(60 * 60_000 + 1000);
		expect(await resetPassword(token, NEW_PASSWORD)).toMatchObject({
			ok: false,
			message: LINK_NOT_VALID
		});
		expect(await hashOf(user.id)).toBe(before);
	});

	it('changes only the account the link was made for', async () => {
		const owner = await person();
		const other = await person();
		const otherBefore = await hashOf(other.id);
		const otherSession = generateSessionToken();
		await createSession(otherSession, other.id);
		const token = await createResetToken(owner.id);
		expect(await resetPassword(token, NEW_PASSWORD)).toMatchObject({
			ok: true,
			value: { userId: owner.id }
		});
		expect(await hashOf(other.id)).toBe(otherBefore);
		const left = await db.select().from(sessions).where(eq(sessions.userId, other.id));
		expect(left.map((s) => s.id)).toEqual([sessionIdFromToken(otherSession)]);
		// A made-up token, or one of the right shape from nowhere, does nothing.
		for (const bad of ['', 'x', 'a'.repeat(40), token.toUpperCase()])
			expect((await resetPassword(bad, NEW_PASSWORD)).ok).toBe(false);
	});

	it('keeps the link after a password the rules refuse', async () => {
		const user = await person();
		const token = await createResetToken(user.id);
		expect(await resetPassword(token, 'password')).toMatchObject({ ok: false, field: 'password' });
		expect(await resetPassword(token, 'short')).toMatchObject({ ok: false, field: 'password' });
		expect((await resetPassword(token, NEW_PASSWORD)).ok).toBe(true);
	});

	it('succeeds once when ten requests use one link at the same moment', async () => {
		const user = await person();
		const token = await createResetToken(user.id);
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) => resetPassword(token, `parallel-pass-${i}-x`))
		);
		const wins = results.flatMap((r, i) => (r.ok ? [i] : []));
		expect(wins).toHaveLength(1);
		expect(results.filter((r) => !r.ok && r.message === LINK_NOT_VALID)).toHaveLength(9);
		expect((await authenticate(user.email, `parallel-pass-${wins[0]}-x`, null)).ok).toBe(true);
		const notices = (await mailsTo(user.email)).filter((m) => m.kind === 'password.changed');
		expect(notices).toHaveLength(1);
	});

	it('an admin-made link works the same, and none is made for a disabled account', async () => {
		const user = await person();
		const made = await adminResetLink({ email: user.email }, null);
		const token = linkIn(made!.url)!;
		expect((await resetPassword(token, NEW_PASSWORD)).ok).toBe(true);
		await db.execute(sql`update users set disabled_at = now() where id = ${user.id}`);
		expect(await adminResetLink({ id: user.id }, null)).toBeUndefined();
		expect(await mailResetLink(user.email)).toBe(false);
	});
});
