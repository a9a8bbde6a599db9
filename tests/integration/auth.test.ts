import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate, changePassword, createUser } from '../../src/lib/server/auth/accounts';
import { setDisabled, setRole } from '../../src/lib/server/auth/admin-users';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	SESSION_ABSOLUTE,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { sessions, users } from '../../src/lib/server/db/schema';
import { freshDatabase } from '../support/fresh-database';

const DAY = 86_400_000;
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];

beforeAll(async () => {
	({ db } = await freshDatabase());
});

async function newUser(email: string, password = 'plum-tractor-71') {
	const result = await createUser({ name: 'Runner', email, password });
	if (!result.ok) throw new Error(result.message);
	return result.value;
}

describe('sign-up', () => {
	it('stores a normalised email and an argon2id hash, never the password', async () => {
		const user = await newUser('  Mixed.Case@Example.COM ');
		expect(user.email).toBe('mixed.case@example.com');
		expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(user.passwordHash).not.toContain('plum-tractor-71');
		expect(user.role).toBe('learner');
	});

	it('refuses a second account for the same email in any case', async () => {
		await newUser('dup@example.com');
		const again = await createUser({
			name: 'X',
			email: 'DUP@example.com',
			password: 'plum-tractor-71'
		});
		expect(again).toMatchObject({ ok: false, field: 'email' });
	});

	it.each([
		['short7!', /at least 8/],
		['password', /too common/],
		['qwertyuiop', /too common/],
		['aaaaaaaaaa', /too common/]
	])('refuses the weak password %s', async (password, message) => {
		const result = await createUser({ name: 'W', email: `w-${password}@example.com`, password });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toMatch(message);
	});

	it('accepts a 128-character Unicode password and checks it exactly as typed', async () => {
		const password = 'é🏃ñ字'.repeat(32); // 128 code points
		expect([...password]).toHaveLength(128);
		await newUser('unicode@example.com', password);
		expect((await authenticate('unicode@example.com', password, null)).ok).toBe(true);
		// The decomposed form of é looks the same but is a different password.
		const decomposed = password.normalize('NFD');
		expect(decomposed).not.toBe(password);
		expect((await authenticate('unicode@example.com', decomposed, null)).ok).toBe(false);
	});
});

describe('log-in', () => {
	it('gives the same answer for an unknown email and a wrong password', async () => {
		await newUser('known@example.com');
		const unknown = await authenticate('nobody@example.com', 'plum-tractor-71', '10.0.0.1');
		const wrong = await authenticate('known@example.com', 'wrong-password-1', '10.0.0.2');
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		expect(wrong).toEqual(unknown);
	});

	it('throttles an account after repeated failures, then lets the real user in after the window', async () => {
		await newUser('target@example.com');
		const results = [];
		for (let i = 0; i < 7; i++) {
			results.push(await authenticate('target@example.com', `guess-${i}-xyz`, `10.1.0.${i}`));
		}
		expect(results.slice(0, 5).every((r) => !r.ok && r.reason === 'invalid')).toBe(true);
		const throttled = await authenticate('target@example.com', 'plum-tractor-71', '10.2.0.1');
		expect(throttled).toMatchObject({ ok: false, reason: 'throttled' });
		if (!throttled.ok && throttled.reason === 'throttled')
			expect(throttled.retryAfter).toBeGreaterThan(0);
		// The lock-out ends (simulate the window passing).
		await db.execute(sql`update login_throttle set locked_until = now() - interval '1 second'`);
		expect((await authenticate('target@example.com', 'plum-tractor-71', '10.2.0.1')).ok).toBe(true);
	});

	it('lets at most the allowance of a burst of parallel guesses reach the password check', async () => {
		await newUser('burst@example.com');
		const results = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				authenticate('burst@example.com', `guess-${i}-xyz`, `10.3.0.${i}`)
			)
		);
		const checked = results.filter((r) => !r.ok && r.reason === 'invalid').length;
		const throttled = results.filter((r) => !r.ok && r.reason === 'throttled').length;
		// 5 free attempts; the 5th locks the account in the same statement that counts it.
		expect(checked).toBe(5);
		expect(throttled).toBe(35);
	});

	it('does not count successful log-ins against a shared address', async () => {
		process.env.LOGIN_ADDRESS_ALLOWANCE = '3';
		try {
			for (let i = 0; i < 5; i++) {
				await newUser(`member-${i}@example.com`);
				expect(
					(await authenticate(`member-${i}@example.com`, 'plum-tractor-71', '10.8.8.8')).ok
				).toBe(true);
			}
		} finally {
			delete process.env.LOGIN_ADDRESS_ALLOWANCE;
		}
	});

	it('throttles a client address that tries many accounts', async () => {
		for (let i = 0; i < 22; i++)
			await authenticate(`spray-${i}@example.com`, 'nope-nope-1', '10.9.9.9');
		const next = await authenticate('spray-x@example.com', 'nope-nope-1', '10.9.9.9');
		expect(next).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('lets the per-address allowance be raised or lowered', async () => {
		process.env.LOGIN_ADDRESS_ALLOWANCE = '3';
		try {
			for (let i = 0; i < 3; i++)
				await authenticate(`club-${i}@example.com`, 'nope-nope-1', '10.7.7.7');
			expect(await authenticate('club-x@example.com', 'nope-nope-1', '10.7.7.7')).toMatchObject({
				reason: 'throttled'
			});
		} finally {
			delete process.env.LOGIN_ADDRESS_ALLOWANCE;
		}
	});

	it('refuses a disabled account with the same message', async () => {
		await newUser('gone@example.com');
		await setDisabled('gone@example.com', true);
		expect(await authenticate('gone@example.com', 'plum-tractor-71', null)).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});
});

describe('sessions', () => {
	it('stores only the SHA-256 of the token', async () => {
		const user = await newUser('hash@example.com');
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{40}$/); // 25 random bytes
		await createSession(token, user.id);
		const rows = await db.select().from(sessions).where(eq(sessions.userId, user.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[0]!.id).not.toContain(token);
		expect((await validateSessionToken(token))?.user.email).toBe('hash@example.com');
	});

	it('rejects garbage, truncated and unknown tokens', async () => {
		const user = await newUser('garbage@example.com');
		const token = generateSessionToken();
		await createSession(token, user.id);
		for (const bad of [
			'',
			'x',
			token.slice(0, 39),
			token + 'a',
			token.toUpperCase(),
			"' or 1=1 --"
		]) {
			expect(await validateSessionToken(bad)).toBeNull();
		}
		expect(await validateSessionToken(generateSessionToken())).toBeNull();
	});

	it('slides the expiry only when fewer than 15 days remain, and never past 90 days', async () => {
		const user = await newUser('slide@example.com');
		const token = generateSessionToken();
		const start = new Date('2026-01-01T00:00:00Z');
		const session = await createSession(token, user.id, start);
		const early = await validateSessionToken(token, new Date(start.getTime() + 10 * DAY));
		expect(early?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());
		const renewedAt = new Date(start.getTime() + 20 * DAY);
		const renewed = await validateSessionToken(token, renewedAt);
		expect(renewed?.session.expiresAt.getTime()).toBe(renewedAt.getTime() + 30 * DAY);
		// Keep using it: the renewals stop at the absolute limit.
		let t = renewedAt.getTime();
		while (t < start.getTime() + SESSION_ABSOLUTE - DAY) {
			t += 10 * DAY;
			const r = await validateSessionToken(
				token,
				new Date(Math.min(t, start.getTime() + SESSION_ABSOLUTE - 1))
			);
			if (r)
				expect(r.session.expiresAt.getTime()).toBeLessThanOrEqual(
					start.getTime() + SESSION_ABSOLUTE
				);
		}
		expect(
			await validateSessionToken(token, new Date(start.getTime() + SESSION_ABSOLUTE))
		).toBeNull();
	});

	it('expires after 30 days without use', async () => {
		const user = await newUser('idle@example.com');
		const token = generateSessionToken();
		const start = new Date();
		await createSession(token, user.id, start);
		expect(await validateSessionToken(token, new Date(start.getTime() + 30 * DAY + 1))).toBeNull();
		// and the expired row is gone
		expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
	});

	it('ends at logout', async () => {
		const user = await newUser('logout@example.com');
		const token = generateSessionToken();
		const session = await createSession(token, user.id);
		await invalidateSession(session.id);
		expect(await validateSessionToken(token)).toBeNull();
	});

	it('sees a role change and a disable on the next request', async () => {
		const user = await newUser('promote@example.com');
		const token = generateSessionToken();
		await createSession(token, user.id);
		await setRole('promote@example.com', 'coach');
		expect((await validateSessionToken(token))?.user.role).toBe('coach');
		await setDisabled('promote@example.com', true);
		expect(await validateSessionToken(token)).toBeNull();
	});
});

describe('password change', () => {
	it('throttles guesses at the current password', async () => {
		const user = await newUser('guessed@example.com');
		const token = generateSessionToken();
		await createSession(token, user.id);
		const answers = [];
		for (let i = 0; i < 7; i++)
			answers.push(await changePassword(user.id, token, `wrong-${i}-guess`, 'new-secret-pass-9'));
		expect(answers.slice(0, 5).every((a) => !a.ok && /not correct/.test(a.message))).toBe(true);
		const last = answers.at(-1);
		expect(last).toMatchObject({ ok: false, field: 'current' });
		expect(last && !last.ok && last.message).toMatch(/Too many wrong attempts/);
	});

	it('needs the current password and ends every other session', async () => {
		const user = await newUser('change@example.com');
		const here = generateSessionToken();
		const elsewhere = generateSessionToken();
		await createSession(here, user.id);
		await createSession(elsewhere, user.id);
		expect(
			await changePassword(user.id, here, 'not-my-password', 'new-secret-pass-9')
		).toMatchObject({
			ok: false,
			field: 'current'
		});
		expect(await validateSessionToken(elsewhere)).not.toBeNull();
		expect(await changePassword(user.id, here, 'plum-tractor-71', 'new-secret-pass-9')).toEqual({
			ok: true,
			value: null
		});
		expect(await validateSessionToken(here)).not.toBeNull();
		expect(await validateSessionToken(elsewhere)).toBeNull();
		expect((await authenticate('change@example.com', 'new-secret-pass-9', null)).ok).toBe(true);
		expect((await authenticate('change@example.com', 'plum-tractor-71', null)).ok).toBe(false);
		const [row] = await db.select().from(users).where(eq(users.id, user.id));
		expect(row?.passwordHash).toMatch(/^\$argon2id/);
	});
});
