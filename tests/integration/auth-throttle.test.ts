// Throttling across lock windows, trusted devices (device cookies) and sign-ups per address, on
// the server's controllable clock.
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createUser, signUp } from '../../src/lib/server/auth/accounts';
import { issueDeviceToken, trustedDeviceId } from '../../src/lib/server/auth/device';
import { advanceClock, resetClock } from '../../src/lib/server/clock';
import { freshDatabase } from '../support/fresh-database';

const PASSWORD = 'plum-tractor-71';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];

beforeAll(async () => {
	({ db } = await freshDatabase());
});

afterEach(() => {
	resetClock();
	delete process.env.LOGIN_ADDRESS_ALLOWANCE;
	delete process.env.SIGNUP_ADDRESS_ALLOWANCE;
});

async function newUser(email: string) {
	const result = await createUser({ name: 'Runner', email, password: PASSWORD });
	if (!result.ok) throw new Error(result.message);
	return result.value;
}

/** An attacker who guesses as soon as each lock ends, for `ms`; returns the guesses checked. */
async function guessFor(email: string, ms: number, stopAfter: number): Promise<number> {
	let elapsed = 0;
	let checked = 0;
	while (elapsed < ms && checked <= stopAfter) {
		const r = await authenticate(email, `guess-${checked}-xyz`, null);
		if (!r.ok && r.reason === 'throttled') {
			advanceClock(r.retryAfter * 1000);
			elapsed += r.retryAfter * 1000;
		} else {
			expect(r).toEqual({ ok: false, reason: 'invalid' });
			checked++;
		}
	}
	return checked;
}

describe('account throttling across lock windows', () => {
	it('allows at most 39 guesses at one account in the first 24 hours, then 24 a day', async () => {
		await newUser('patient-attacker@example.com');
		expect(await guessFor('patient-attacker@example.com', DAY, 39)).toBe(39);
		expect(await guessFor('patient-attacker@example.com', DAY, 24)).toBe(24);
	});

	it('forgets the failures after 24 hours without one, and clears them on success', async () => {
		await newUser('forgetful@example.com');
		expect(await guessFor('forgetful@example.com', 2 * HOUR, 100)).toBeGreaterThan(5);
		advanceClock(DAY);
		// A fresh allowance: five free attempts in a row.
		for (let i = 0; i < 5; i++)
			expect(await authenticate('forgetful@example.com', `again-${i}-xyz`, null)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		advanceClock(HOUR);
		expect((await authenticate('forgetful@example.com', PASSWORD, null)).ok).toBe(true);
		const [row] = await db.execute<{ n: number }>(
			sql`select count(*)::int as n from login_throttle where key = 'email:forgetful@example.com'`
		);
		expect(row?.n).toBe(0);
	});

	it('does not count attempts refused by an address lock against the account', async () => {
		await newUser('bystander@example.com');
		// An attacker's address, locked for an hour after spraying other accounts.
		await db.execute(sql`insert into login_throttle (key, failures, last_failure_at, locked_until)
			values ('ip:10.66.0.1', 40, now(), now() + interval '1 hour')`);
		for (let i = 0; i < 20; i++)
			expect(
				await authenticate('bystander@example.com', `x-${i}-guess`, '10.66.0.1')
			).toMatchObject({ reason: 'throttled' });
		// Those refusals were never checked, so the account's own allowance is untouched.
		expect((await authenticate('bystander@example.com', PASSWORD, '10.66.0.2')).ok).toBe(true);
	});

	it('serves parallel attempts that share accounts and addresses without a deadlock', async () => {
		const results = await Promise.all(
			Array.from({ length: 60 }, (_, i) =>
				authenticate(`crossed-${i % 6}@example.com`, `guess-${i}-xyz`, `10.77.0.${(i * 7) % 5}`)
			)
		);
		expect(results.every((r) => !r.ok && ['invalid', 'throttled'].includes(r.reason))).toBe(true);
	});

	it('serves parallel correct log-ins to one account without a deadlock', async () => {
		// Each success deletes the account's counter while the others insert it again: the
		// process test that hangs up on twenty log-ins found a deadlock here. Parallel attempts
		// are counted before the password is checked, so some are throttled; none may fail.
		await newUser('many-tabs@example.com');
		for (let round = 0; round < 3; round++) {
			const results = await Promise.allSettled(
				Array.from({ length: 20 }, () =>
					authenticate('many-tabs@example.com', PASSWORD, '10.88.0.1')
				)
			);
			const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
			expect(errors).toEqual([]);
			const answers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
			expect(answers.some((r) => r.ok)).toBe(true);
			expect(answers.every((r) => r.ok || r.reason === 'throttled')).toBe(true);
			advanceClock(DAY);
		}
	});
});

/**
 * Wrong guesses, waiting out each lock on the server's clock, until one sets a lock of at least
 * `minLockS`: long enough that the test's real running time cannot outlast it.
 */
async function lockOut(email: string, minLockS: number, device: string | null = null) {
	for (let i = 0; i < 100; i++) {
		const r = await authenticate(email, `attack-${i}-xyz`, null, device);
		if (!r.ok && r.reason === 'throttled') {
			if (r.retryAfter >= minLockS) return;
			advanceClock(r.retryAfter * 1000);
		}
	}
	throw new Error('never locked');
}

describe('trusted devices', () => {
	it('lets a browser with the account’s device cookie in while failures elsewhere lock it', async () => {
		const user = await newUser('runner@example.com');
		const device = await issueDeviceToken(user.id);
		await lockOut('runner@example.com', 600);
		// Unknown browsers, even with the right password, wait for the lock.
		expect(await authenticate('runner@example.com', PASSWORD, '10.4.1.1')).toMatchObject({
			reason: 'throttled'
		});
		const trusted = await authenticate('runner@example.com', PASSWORD, '10.4.0.0', device);
		expect(trusted).toMatchObject({ ok: true, user: { id: user.id } });
		// The owner's success does not lift the attacker's lock.
		expect(await authenticate('runner@example.com', PASSWORD, '10.4.1.1')).toMatchObject({
			reason: 'throttled'
		});
	});

	it('locks only that browser when the failures come from it', async () => {
		const user = await newUser('stolen-cookie@example.com');
		const device = await issueDeviceToken(user.id);
		const first = [];
		for (let i = 0; i < 5; i++)
			first.push(await authenticate('stolen-cookie@example.com', `g-${i}-xyz`, null, device));
		expect(first.every((r) => !r.ok && r.reason === 'invalid')).toBe(true);
		await lockOut('stolen-cookie@example.com', 600, device);
		expect(await authenticate('stolen-cookie@example.com', PASSWORD, null, device)).toMatchObject({
			reason: 'throttled'
		});
		// Other browsers are not affected by that browser's failures.
		expect((await authenticate('stolen-cookie@example.com', PASSWORD, null)).ok).toBe(true);
	});

	it('treats a forged, foreign or malformed device cookie as an unknown browser', async () => {
		const other = await newUser('other-runner@example.com');
		await newUser('victim@example.com');
		await lockOut('victim@example.com', 600);
		const foreign = await issueDeviceToken(other.id);
		const [nonce, tag] = foreign.split('.') as [string, string];
		const flipped = tag.startsWith('A') ? 'B' + tag.slice(1) : 'A' + tag.slice(1);
		for (const token of [
			foreign,
			`${nonce}.${flipped}`,
			`${'A'.repeat(22)}.${tag}`,
			'',
			'garbage',
			`${foreign}.extra`,
			'é'.repeat(70)
		]) {
			expect(
				await authenticate('victim@example.com', PASSWORD, null, token),
				JSON.stringify(token)
			).toMatchObject({ reason: 'throttled' });
		}
		expect(await trustedDeviceId(foreign, other.id)).toBe(nonce);
	});
});

describe('sign-up throttling per address', () => {
	const input = (email: string) => ({ name: 'New Runner', email, password: PASSWORD });

	it('lets a club of 150 sign up at once from one address, then 10 an hour', async () => {
		for (let i = 0; i < 150; i++) {
			const r = await signUp(input(`club-${i}@example.com`), '10.20.0.1');
			expect(r.ok, `sign-up ${i + 1}`).toBe(true);
		}
		const next = await signUp(input('club-150@example.com'), '10.20.0.1');
		expect(next).toMatchObject({ ok: false, reason: 'throttled' });
		// One place comes back every six minutes.
		if (!next.ok && 'reason' in next) expect(next.retryAfter).toBeLessThanOrEqual(6 * 60);
		// Another address is not affected.
		expect((await signUp(input('elsewhere@example.com'), '10.20.0.2')).ok).toBe(true);
		advanceClock(6 * 60_000);
		expect((await signUp(input('club-150@example.com'), '10.20.0.1')).ok).toBe(true);
		expect(await signUp(input('club-151@example.com'), '10.20.0.1')).toMatchObject({
			reason: 'throttled'
		});
		// An hour later, ten more; the whole allowance is back after 15 quiet hours.
		advanceClock(60 * 60_000);
		for (let i = 0; i < 10; i++)
			expect((await signUp(input(`later-${i}@example.com`), '10.20.0.1')).ok).toBe(true);
		expect((await signUp(input('later-10@example.com'), '10.20.0.1')).ok).toBe(false);
	});

	it('says "already has an account" 10 times an hour per address, then 429 for every email', async () => {
		await signUp(input('taken@example.com'), '10.20.1.9');
		for (let i = 0; i < 10; i++)
			expect(await signUp(input('taken@example.com'), '10.20.1.1')).toMatchObject({
				ok: false,
				field: 'email'
			});
		// Sign-ups that made an account gave their reservation back, so they did not count.
		expect(await signUp(input('taken@example.com'), '10.20.1.1')).toMatchObject({
			reason: 'throttled'
		});
		// Now a new email is refused alike: the 429 does not tell which emails are taken.
		expect(await signUp(input('fresh-probe@example.com'), '10.20.1.1')).toMatchObject({
			reason: 'throttled'
		});
		advanceClock(60 * 60_000 + 1000);
		expect((await signUp(input('fresh-probe@example.com'), '10.20.1.1')).ok).toBe(true);
	});

	it('gives back every "already has an account" reservation of parallel sign-ups that made one', async () => {
		for (let round = 0; round < 5; round++)
			await Promise.all(
				Array.from({ length: 8 }, (_, i) =>
					signUp(input(`parallel-${round}-${i}@example.com`), '10.23.0.1')
				)
			);
		const [row] = await db.execute<{ n: number }>(
			sql`select count(*)::int as n from signup_attempts where address = 'signup-exists:10.23.0.1'`
		);
		expect(row?.n).toBe(0);
	});

	it('holds under a parallel burst, and the allowance is configurable', async () => {
		process.env.SIGNUP_ADDRESS_ALLOWANCE = '4';
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) => signUp(input(`burst-${i}@example.com`), '10.21.0.1'))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(4);
		expect(results.filter((r) => !r.ok && 'reason' in r)).toHaveLength(26);
	});

	it('keeps sign-up attempts no longer than an hour', async () => {
		await signUp(input('short-memory@example.com'), '10.22.0.9');
		// A probe of a taken email is the attempt that is kept (an account made gives its place back).
		await signUp(input('short-memory@example.com'), '10.22.0.1');
		const count = async () =>
			(
				await db.execute<{ n: number }>(
					sql`select count(*)::int as n from signup_attempts where address like '%10.22.0.1'`
				)
			)[0]?.n;
		expect(await count()).toBe(1);
		advanceClock(HOUR + 1000);
		await signUp(input('later@example.com'), '10.22.0.2');
		expect(await count()).toBe(0);
	});
});
