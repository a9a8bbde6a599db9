// Password policy and hashing: argon2id with the OWASP-recommended minimum parameters.
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// algorithm 2 is Argon2id (a const enum in the typings, so it is written as its value).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
	common ??= new Set(dictionary['passwords-common']);
	return common;
}

/** Why a new password is not acceptable, or null when it is. Checked exactly as typed. */
export function passwordProblem(password: string, context: string[] = []): string | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
	if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
	const lower = password.toLowerCase();
	if (commonPasswords().has(lower) || new Set(lower).size < 3)
		return 'This password is too common or easy to guess. Choose another.';
	if (context.some((c) => c && c.length >= 4 && lower.includes(c.toLowerCase())))
		return 'Do not use your name or email address in your password.';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// Verified against when the email is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
	return dummyHash;
}
