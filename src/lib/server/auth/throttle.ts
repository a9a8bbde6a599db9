// Failed-login throttling, counted in the database per account, per trusted device and per client
// address, so every app instance sees the same numbers. A few free failures, then a doubling lock.
// Each attempt is counted before the (slow) password check, under a row lock, so a burst
// of parallel guesses cannot all pass the check before the first failure is written.
import { eq, inArray, lt, sql } from 'drizzle-orm';
import { now as serverNow } from '../clock';
import { db } from '../db';
import { loginThrottle } from '../db/schema';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export type ThrottleKind = 'account' | 'device' | 'address';

export interface ThrottlePolicy {
	/** Attempts in a row before the first lock. */
	free: number;
	/** The longest lock; each failure past the free ones doubles it, from one second. */
	maxLockMs: number;
	/** A count with no new failure for this long is forgotten. */
	memoryMs: number;
}

export function throttlePolicy(kind: ThrottleKind): ThrottlePolicy {
	if (kind === 'address')
		// Clubs and schools put many people behind one address, so that allowance is configurable;
		// an address only stops one source spraying many accounts, so a short memory does.
		return {
			free: Number(process.env.LOGIN_ADDRESS_ALLOWANCE) || 20,
			maxLockMs: 15 * MINUTE,
			memoryMs: 15 * MINUTE
		};
	// An account (or one trusted browser of it) remembers failures far longer than its longest
	// lock, so waiting out a lock never restarts the allowance: at most 39 guesses in any 24 hours,
	// 24 a day once the lock has reached an hour (see README, "Accounts and security").
	return { free: 5, maxLockMs: HOUR, memoryMs: 24 * HOUR };
}

/** Rows idle this long matter to no policy and are deleted (at most once a minute). */
const KEEP_MS = 24 * HOUR;

export interface ThrottleKey {
	key: string;
	kind: ThrottleKind;
}

/** The keys an attempt from an unknown browser is counted under. */
export function throttleKeys(email: string, address: string | null): ThrottleKey[] {
	return [
		{ key: `email:${email}`, kind: 'account' },
		...(address ? [{ key: `ip:${address}`, kind: 'address' as const }] : [])
	];
}

/** Lock-out length once the given number of attempts in a row have been used. */
export function lockoutMs(failures: number, policy: ThrottlePolicy): number {
	if (failures < policy.free) return 0;
	return Math.min(SECOND * 2 ** (failures - policy.free), policy.maxLockMs);
}

export type Reservation = { ok: true } | { ok: false; retryAfter: number };

/**
 * Counts an attempt under every key unless one of them is locked; then none is counted, so
 * attempts refused by one lock (say, an attacker's address) do not add to another (the account).
 * The rows are locked in key order while they are read and written, and once a count reaches
 * its allowance the lock is set in the same transaction, so later parallel attempts are refused.
 */
export async function reserveAttempt(keys: ThrottleKey[], now = serverNow()): Promise<Reservation> {
	const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const names = sorted.map((k) => k.key);
	const reservation = await db().transaction(async (tx) => {
		// Parallel attempts on the same keys queue here, key by key in key order. Without this,
		// twenty log-ins at once could deadlock: each INSERT … ON CONFLICT waits on a row another
		// attempt is still inserting, while that one waits on a row lock the first one holds.
		for (const key of names)
			await tx.execute(
				sql`select pg_advisory_xact_lock(hashtextextended(${`throttle:${key}`}, 0))`
			);
		await tx
			.insert(loginThrottle)
			.values(names.map((key) => ({ key, failures: 0, lastFailureAt: now })))
			.onConflictDoNothing();
		const rows = await tx
			.select()
			.from(loginThrottle)
			.where(inArray(loginThrottle.key, names))
			.orderBy(loginThrottle.key)
			.for('update');
		const waits = rows
			.filter((row) => row.lockedUntil && row.lockedUntil > now)
			.map((row) => Math.ceil((row.lockedUntil!.getTime() - now.getTime()) / 1000));
		if (waits.length) return { ok: false, retryAfter: Math.max(1, ...waits) } as const;
		for (const { key, kind } of sorted) {
			const row = rows.find((r) => r.key === key);
			const policy = throttlePolicy(kind);
			const forgotten = !row || now.getTime() - row.lastFailureAt.getTime() >= policy.memoryMs;
			const failures = forgotten ? 1 : row.failures + 1;
			const lock = lockoutMs(failures, policy);
			await tx
				.update(loginThrottle)
				.set({
					failures,
					lastFailureAt: now,
					lockedUntil: lock ? new Date(now.getTime() + lock) : null
				})
				.where(eq(loginThrottle.key, key));
		}
		return { ok: true } as const;
	});
	await sweepIdle(now);
	return reservation;
}

let lastSweep = 0;

/**
 * Deletes counters idle for a day, so failed log-ins are not kept longer than the README says.
 * Rows another attempt holds are skipped rather than waited for: no sweep can deadlock with one.
 */
async function sweepIdle(now: Date) {
	if (now.getTime() - lastSweep < MINUTE) return;
	lastSweep = now.getTime();
	const cutoff = new Date(now.getTime() - KEEP_MS);
	const idle = db()
		.select({ key: loginThrottle.key })
		.from(loginThrottle)
		.where(lt(loginThrottle.lastFailureAt, cutoff))
		.for('update', { skipLocked: true });
	await db().delete(loginThrottle).where(inArray(loginThrottle.key, idle));
}

/** A correct password: this key starts afresh. */
export async function clearFailures(key: string) {
	await db().execute(sql`delete from login_throttle where key = ${key}`);
}

/** A correct password from an address: that attempt was no failure, so it is not counted. */
export async function uncountAttempt(key: string) {
	await db().execute(
		sql`update login_throttle set failures = greatest(failures - 1, 0) where key = ${key}`
	);
}
