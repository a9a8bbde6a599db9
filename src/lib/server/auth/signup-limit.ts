// Sign-ups per client address: at most SIGNUP_ADDRESS_ALLOWANCE (default 10) in any hour. Sign-up
// says plainly when an email already has an account, so this limit is what keeps anyone from
// testing addresses at speed; it also stops one source creating accounts in bulk.
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { now as serverNow } from '../clock';
import { db } from '../db';
import { signupAttempts } from '../db/schema';
import type { Reservation } from './throttle';

const HOUR = 60 * 60 * 1000;

const allowance = () => Number(process.env.SIGNUP_ADDRESS_ALLOWANCE) || 10;

/** Records a sign-up attempt from `address`, or says how long to wait when the hour is full. */
export function reserveSignUp(address: string, now = serverNow()): Promise<Reservation> {
	return reserveInHour(address, allowance(), now);
}

/**
 * At most `limit` uses of `key` in any hour, counted in the database so every instance agrees.
 * Sign-ups use the bare address as key; other limits prefix theirs (e.g. "verify:…").
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
