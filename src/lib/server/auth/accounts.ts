// Account rules: sign-up, log-in, password change, profile, and the admin operations.
import { eq, sql } from 'drizzle-orm';
import { db } from '../db';
import { users, type Role, type User } from '../db/schema';
import { formatWait } from '../../format';
import { trustedDeviceId } from './device';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password';
import { sessionIdFromToken } from './session';
import { reserveExistingAnswer, reserveSignUp, returnExistingAnswer } from './signup-limit';
import { clearFailures, reserveAttempt, throttleKeys, uncountAttempt } from './throttle';

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export type AccountResult<T> =
	{ ok: true; value: T } | { ok: false; field: string; message: string };

const fail = (field: string, message: string) => ({ ok: false, field, message }) as const;

export async function findUserByEmail(email: string): Promise<User | undefined> {
	const [user] = await db()
		.select()
		.from(users)
		.where(eq(users.email, normaliseEmail(email)));
	return user;
}

export async function createUser(input: {
	name: string;
	email: string;
	password: string;
	role?: Role;
}): Promise<AccountResult<User>> {
	const email = normaliseEmail(input.email);
	const problem = passwordProblem(input.password, [input.name, email.split('@')[0] ?? '']);
	if (problem) return fail('password', problem);
	const passwordHash = await hashPassword(input.password);
	const [user] = await db()
		.insert(users)
		.values({ name: input.name.trim(), email, passwordHash, role: input.role ?? 'learner' })
		.onConflictDoNothing({ target: users.email })
		.returning();
	if (!user) return fail('email', 'An account with this email already exists. Log in instead.');
	return { ok: true, value: user };
}

export type Throttled = { ok: false; reason: 'throttled'; retryAfter: number };

/**
 * Sign-up from the site: limited per client address (requests without a usable one share the
 * "unknown" address, see client-address.ts). Admins and the CLI call createUser directly.
 */
export async function signUp(
	input: { name: string; email: string; password: string },
	address: string | null
): Promise<AccountResult<User> | Throttled> {
	if (!address) return createUser(input);
	for (const reserve of [reserveSignUp, reserveExistingAnswer]) {
		const reserved = await reserve(address);
		if (!reserved.ok) return { ok: false, reason: 'throttled', retryAfter: reserved.retryAfter };
	}
	const result = await createUser(input);
	// Only "this email already has an account" tells the asker something; anything else is given back.
	if (result.ok || result.field !== 'email') await returnExistingAnswer(address);
	return result;
}

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid' } | Throttled;

/**
 * The same answer for an unknown email and a wrong password. `deviceToken` is the browser's
 * device cookie: when it was issued for this account, the attempt is counted for that browser
 * alone, and locks caused by failures elsewhere (the account's, an address's) do not apply.
 */
export async function authenticate(
	emailInput: string,
	password: string,
	address: string | null,
	deviceToken: string | null = null
): Promise<LoginResult> {
	const email = normaliseEmail(emailInput);
	const user = await findUserByEmail(email);
	const device = user ? await trustedDeviceId(deviceToken, user.id) : null;
	const keys = device
		? [{ key: `device:${device}`, kind: 'device' as const }]
		: throttleKeys(email, address);
	const reserved = await reserveAttempt(keys);
	if (!reserved.ok) return { ok: false, reason: 'throttled', retryAfter: reserved.retryAfter };

	const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
	// The attempt was already counted as a failure; a correct password takes that back.
	if (!user || !valid || user.disabledAt) return { ok: false, reason: 'invalid' };
	if (device) {
		// Only this browser's count: the owner logging in must not reset an attacker's lock.
		await clearFailures(`device:${device}`);
	} else {
		await clearFailures(`email:${email}`);
		if (address) await uncountAttempt(`ip:${address}`);
	}
	return { ok: true, user };
}

/** Needs the current password; ends every other session of the user. */
export async function changePassword(
	userId: string,
	currentSessionToken: string,
	current: string,
	next: string
): Promise<AccountResult<null>> {
	const [user] = await db().select().from(users).where(eq(users.id, userId));
	if (!user) return fail('current', 'Your account could not be found.');
	// Guessing the current password from a stolen session is throttled like log-in.
	const key = `password-change:${userId}`;
	const reserved = await reserveAttempt([{ key, kind: 'account' }]);
	if (!reserved.ok)
		return fail(
			'current',
			`Too many wrong attempts. Try again in ${formatWait(reserved.retryAfter)}.`
		);
	if (!(await verifyPassword(user.passwordHash, current)))
		return fail('current', 'Your current password is not correct.');
	await clearFailures(key);
	const problem = passwordProblem(next, [user.name, user.email.split('@')[0] ?? '']);
	if (problem) return fail('password', problem);
	const passwordHash = await hashPassword(next);
	const keep = sessionIdFromToken(currentSessionToken);
	await db().transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		await tx.execute(sql`delete from sessions where user_id = ${userId} and id <> ${keep}`);
	});
	return { ok: true, value: null };
}

export async function updateName(userId: string, name: string): Promise<void> {
	await db().update(users).set({ name: name.trim() }).where(eq(users.id, userId));
}
