// Failed-login throttling, counted in the database per account and per client address so
// every app instance sees the same numbers. A few free failures, then a doubling lock-out.
// Each attempt is counted before the (slow) password check, under a row lock, so a burst
// of parallel guesses cannot all pass the check before the first failure is written.
import { eq, inArray, sql } from 'drizzle-orm';
import { db } from '../db';
import { loginThrottle } from '../db/schema';

const WINDOW_MS = 15 * 60 * 1000; // failures older than this are forgotten
const MAX_LOCK_S = 15 * 60;
export type ThrottleKind = 'account' | 'address';
// Clubs and schools put many people behind one address, so that allowance is configurable.
const freeFailures = (kind: ThrottleKind) =>
	kind === 'account' ? 5 : Number(process.env.LOGIN_ADDRESS_ALLOWANCE) || 20;

export function throttleKeys(email: string, address: string | null) {
	return { account: `email:${email}`, address: address ? `ip:${address}` : null };
}

/** Lock-out length once the given number of attempts in a row have been used. */
export function lockoutMs(failures: number, free: number): number {
	if (failures < free) return 0;
	return Math.min(1000 * 2 ** (failures - free), MAX_LOCK_S * 1000);
}

export type Reservation = { ok: true } | { ok: false; retryAfter: number };

/**
 * Counts an attempt for `key` unless the key is locked. The row is locked while it is read and
 * written, and once the count reaches the allowance the lock-out is set in the same transaction,
 * so later parallel attempts are refused at once.
 */
export async function reserveAttempt(
	key: string,
	kind: ThrottleKind,
	now = new Date()
): Promise<Reservation> {
	const windowStart = now.getTime() - WINDOW_MS;
	return db().transaction(async (tx) => {
		await tx
			.insert(loginThrottle)
			.values({ key, failures: 0, lastFailureAt: now })
			.onConflictDoNothing();
		const [row] = await tx
			.select()
			.from(loginThrottle)
			.where(eq(loginThrottle.key, key))
			.for('update');
		if (row?.lockedUntil && row.lockedUntil > now) {
			const wait = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
			return { ok: false, retryAfter: Math.max(1, wait) };
		}
		const failures = !row || row.lastFailureAt.getTime() < windowStart ? 1 : row.failures + 1;
		const lock = lockoutMs(failures, freeFailures(kind));
		await tx
			.update(loginThrottle)
			.set({
				failures,
				lastFailureAt: now,
				lockedUntil: lock ? new Date(now.getTime() + lock) : null
			})
			.where(eq(loginThrottle.key, key));
		return { ok: true };
	});
}

/** A correct password: the account starts afresh. */
export async function clearFailures(key: string) {
	await db()
		.delete(loginThrottle)
		.where(inArray(loginThrottle.key, [key]));
}

/** A correct password from an address: that attempt was no failure, so it is not counted. */
export async function uncountAttempt(key: string) {
	await db().execute(
		sql`update login_throttle set failures = greatest(failures - 1, 0) where key = ${key}`
	);
}
