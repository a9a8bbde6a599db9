// Sign-ups per client address, sized for a club night: a burst of SIGNUP_ADDRESS_ALLOWANCE (150)
// at once, then SIGNUP_ADDRESS_RATE (10) an hour, the allowance filling up again at that rate
// (a generic cell rate algorithm: one timestamp per address, in login_throttle). A club of a
// hundred signing up on one Wi-Fi gets through; one source creating accounts in bulk is held to
// ten an hour once the burst is spent. Sign-up says plainly when an email already has an account,
// so that answer has its own, small allowance: SIGNUP_EXISTING_ALLOWANCE (10) per address in any
// hour, reserved before the answer is known and given back when an account was created, so an
// address that has used it up gets 429 for every email and learns nothing more.
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { now as serverNow } from '../clock';
import { db } from '../db';
import { loginThrottle, signupAttempts } from '../db/schema';
import type { Reservation } from './throttle';

const HOUR = 60 * 60 * 1000;

const burst = () => Number(process.env.SIGNUP_ADDRESS_ALLOWANCE) || 150;
const perHour = () => Number(process.env.SIGNUP_ADDRESS_RATE) || 10;
const existingAllowance = () => Number(process.env.SIGNUP_EXISTING_ALLOWANCE) || 10;

/** Takes one sign-up from `address`'s allowance, or says how long to wait when it is spent. */
export async function reserveSignUp(address: string, now = serverNow()): Promise<Reservation> {
	const key = `signup:${address}`;
	const interval = HOUR / perHour();
	const tolerance = burst() * interval;
	return db().transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`throttle:${key}`}, 0))`);
		const [row] = await tx
			.select({ tat: loginThrottle.lockedUntil, count: loginThrottle.failures })
			.from(loginThrottle)
			.where(eq(loginThrottle.key, key));
		// The "theoretical arrival time": when the allowance would be full again.
		const start = Math.max(row?.tat?.getTime() ?? 0, now.getTime());
		const next = start + interval;
		if (next - now.getTime() > tolerance)
			return {
				ok: false,
				retryAfter: Math.max(1, Math.ceil((next - now.getTime() - tolerance) / 1000))
			} as const;
		const values = {
			failures: (row?.count ?? 0) + 1,
			lastFailureAt: now,
			lockedUntil: new Date(next)
		};
		await tx
			.insert(loginThrottle)
			.values({ key, ...values })
			.onConflictDoUpdate({ target: loginThrottle.key, set: values });
		return { ok: true } as const;
	});
}

/** Reserves one "this email already has an account" answer for the address. */
export function reserveExistingAnswer(address: string, now = serverNow()): Promise<Reservation> {
	return reserveInHour(`signup-exists:${address}`, existingAllowance(), now);
}

/** Gives back the reservation: the sign-up made an account, so it revealed nothing. */
export async function returnExistingAnswer(address: string): Promise<void> {
	// SKIP LOCKED: parallel sign-ups each give back a row of their own, never the same one twice.
	await db().execute(sql`delete from ${signupAttempts} where ctid = (
		select ctid from ${signupAttempts} where address = ${`signup-exists:${address}`}
		order by attempted_at desc limit 1 for update skip locked)`);
}

/**
 * At most `limit` uses of `key` in any hour, counted in the database so every instance agrees.
 * Each limit prefixes its keys ("verify:…", "signup-exists:…", "reset-ip:…").
 */
export async function reserveInHour(
	key: string,
	limit: number,
	now = serverNow()
): Promise<Reservation> {
	const since = new Date(now.getTime() - HOUR);
	const reservation = await db().transaction(async (tx) => {
		// Parallel requests for one key take turns, so a burst cannot overshoot the allowance.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'signup:' + key}))`);
		const recent = await tx
			.select({ at: signupAttempts.attemptedAt })
			.from(signupAttempts)
			.where(and(eq(signupAttempts.address, key), gt(signupAttempts.attemptedAt, since)))
			.orderBy(asc(signupAttempts.attemptedAt));
		if (recent.length >= limit) {
			// The wait ends when the oldest attempt that still fills the hour leaves it.
			const frees = recent[recent.length - limit]!.at.getTime() + HOUR;
			return {
				ok: false,
				retryAfter: Math.max(1, Math.ceil((frees - now.getTime()) / 1000))
			} as const;
		}
		await tx.insert(signupAttempts).values({ address: key, attemptedAt: now });
		return { ok: true } as const;
	});
	// Only the last hour matters; older rows, from any address, go.
	await db().delete(signupAttempts).where(lt(signupAttempts.attemptedAt, since));
	return reservation;
}
