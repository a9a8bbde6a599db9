// Failed-login throttling, counted in the database per account and per client address so
// every app instance sees the same numbers. A few free failures, then a doubling lock-out.
import { inArray, sql } from 'drizzle-orm';
import { db } from '../db';
import { loginThrottle } from '../db/schema';

const WINDOW_MS = 15 * 60 * 1000; // failures older than this are forgotten
const MAX_LOCK_MS = 15 * 60 * 1000;
// Clubs and schools put many people behind one address, so that allowance is configurable.
const freeFailures = (kind: 'account' | 'address') =>
	kind === 'account' ? 5 : Number(process.env.LOGIN_ADDRESS_ALLOWANCE) || 20;

export function throttleKeys(email: string, address: string | null) {
	return { account: `email:${email}`, address: address ? `ip:${address}` : null };
}

/** Lock-out length after the given number of consecutive failures. */
export function lockoutMs(failures: number, free: number): number {
	if (failures < free) return 0;
	return Math.min(1000 * 2 ** (failures - free), MAX_LOCK_MS);
}

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export async function retryAfterSeconds(keys: string[], now = new Date()): Promise<number> {
	const rows = await db().select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
	let wait = 0;
	for (const row of rows) {
		if (row.lockedUntil && row.lockedUntil > now)
			wait = Math.max(wait, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
	}
	return wait;
}

export async function recordFailure(key: string, kind: 'account' | 'address', now = new Date()) {
	const free = freeFailures(kind);
	// postgres-js takes timestamps in raw SQL as ISO text.
	const at = now.toISOString();
	const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
	// One statement, so parallel failures all count.
	await db().execute(sql`
		insert into login_throttle (key, failures, last_failure_at, locked_until)
		values (${key}, 1, ${at}::timestamptz, null)
		on conflict (key) do update set
			failures = case when login_throttle.last_failure_at < ${windowStart}::timestamptz then 1
			                else login_throttle.failures + 1 end,
			last_failure_at = ${at}::timestamptz`);
	const [row] = await db()
		.select({ failures: loginThrottle.failures })
		.from(loginThrottle)
		.where(inArray(loginThrottle.key, [key]));
	const lock = lockoutMs(row?.failures ?? 0, free);
	if (lock > 0) {
		await db()
			.update(loginThrottle)
			.set({ lockedUntil: new Date(now.getTime() + lock) })
			.where(inArray(loginThrottle.key, [key]));
	}
}

export async function clearFailures(key: string) {
	await db()
		.delete(loginThrottle)
		.where(inArray(loginThrottle.key, [key]));
}
