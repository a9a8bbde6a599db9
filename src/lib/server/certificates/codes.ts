// Verification codes: the public handle of a certificate (/verify/<code>). SECURITY.md promise 9:
// at least 128 random bits, so codes cannot be guessed or enumerated.
//
// A code is 20 random bytes (160 bits) written in Crockford's base32 (digits and lowercase
// letters without i, l, o, u: no two characters look or sound alike), in 8 groups of 4 joined by
// dashes, e.g. "7k3m-q9dx-…". It is URL-safe as it is, and can be read out over the phone.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_BYTES = 20;
const GROUP = 4;
const LENGTH = (RANDOM_BYTES * 8) / 5; // 32 characters, no padding bits

/** The entropy of one code, in bits. */
export const VERIFICATION_CODE_BITS = RANDOM_BYTES * 8;

const CANONICAL = new RegExp(
	`^[${ALPHABET}]{${GROUP}}(?:-[${ALPHABET}]{${GROUP}}){${LENGTH / GROUP - 1}}$`
);

function encode(bytes: Uint8Array): string {
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += ALPHABET[(buffer >> bits) & 31];
		}
		buffer &= (1 << bits) - 1;
	}
	return out;
}

function group(chars: string): string {
	return chars.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** A new verification code in its canonical form (lowercase, dashed). */
export function newVerificationCode(): string {
	return group(encode(randomBytes(RANDOM_BYTES)));
}

/**
 * Whether a string is a code in canonical form, exactly as newVerificationCode writes it. Use it on
 * a route parameter before touching the database: anything else is a plain 404.
 */
export function isVerificationCode(value: unknown): value is string {
	return typeof value === 'string' && CANONICAL.test(value);
}

/**
 * The canonical form of a code typed or read out by a person (upper case, spaces or no dashes,
 * and the look-alikes O→0, I/L→1 that Crockford's alphabet defines), or null when it cannot be a
 * code. Input longer than a few times a code is refused without work.
 */
export function normalizeVerificationCode(input: string): string | null {
	if (input.length > 4 * LENGTH) return null;
	const chars = input
		.toLowerCase()
		.replace(/[\s-]+/g, '')
		.replace(/o/g, '0')
		.replace(/[il]/g, '1');
	if (chars.length !== LENGTH || ![...chars].every((c) => ALPHABET.includes(c))) return null;
	return group(chars);
}
