// Verification codes: 160 random bits in base32 (RFC 4648 alphabet, no padding), so they cannot be
// guessed, read aloud without ambiguity of case, and sit in a URL as they are.
import { randomBytes } from 'node:crypto';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

export function newVerificationCode(): string {
	return encodeBase32UpperCaseNoPadding(randomBytes(20));
}

/** Exactly the shape newVerificationCode makes; anything else is simply not found. */
export function isVerificationCode(code: string): boolean {
	return /^[A-Z2-7]{32}$/.test(code);
}
