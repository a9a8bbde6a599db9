import { describe, expect, it } from 'vitest';
import {
	isVerificationCode,
	newVerificationCode,
	normalizeVerificationCode,
	VERIFICATION_CODE_BITS
} from '../../src/lib/server/certificates/codes';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

describe('verification codes', () => {
	it('carry at least 128 random bits in a URL-safe form', () => {
		expect(VERIFICATION_CODE_BITS).toBeGreaterThanOrEqual(128);
		const code = newVerificationCode();
		expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){7}$/);
		const symbols = code.replaceAll('-', '');
		// 32 symbols of a 32-letter alphabet: 160 bits, all of them random.
		expect(symbols.length * Math.log2(CROCKFORD.length)).toBe(VERIFICATION_CODE_BITS);
		expect([...symbols].every((c) => CROCKFORD.includes(c))).toBe(true);
		expect(encodeURIComponent(code)).toBe(code);
	});

	it('are unique over 200 draws and use the whole alphabet', () => {
		const codes = Array.from({ length: 200 }, newVerificationCode);
		expect(new Set(codes).size).toBe(200);
		const seen = new Set(codes.join('').replaceAll('-', ''));
		expect(seen.size).toBe(CROCKFORD.length);
		expect(codes.every(isVerificationCode)).toBe(true);
	});

	it('refuses anything that is not a code in canonical form', () => {
		const good = newVerificationCode();
		const bad: unknown[] = [
			undefined,
			null,
			42,
			'',
			good.toUpperCase(),
			good.replaceAll('-', ''),
			good + '-',
			' ' + good,
			good.slice(0, -1),
			good + 'a',
			good.slice(0, -1) + 'u', // not in the alphabet
			good.slice(0, -1) + 'i',
			good.slice(0, -1) + 'o',
			good.replace('-', '_'),
			`../${good.slice(3)}`,
			good.slice(0, -1) + '%',
			'0000-0000-0000-0000-0000-0000-0000-000\n'
		];
		for (const value of bad) expect(isVerificationCode(value), String(value)).toBe(false);
		expect(isVerificationCode(good)).toBe(true);
	});

	it('normalizes a code a person typed or read out', () => {
		const code = newVerificationCode();
		expect(normalizeVerificationCode(code)).toBe(code);
		expect(normalizeVerificationCode(code.toUpperCase())).toBe(code);
		expect(normalizeVerificationCode(code.replaceAll('-', ' '))).toBe(code);
		expect(normalizeVerificationCode(code.replaceAll('-', ''))).toBe(code);
		expect(normalizeVerificationCode('O1IL-0000-0000-0000-0000-0000-0000-0000')).toBe(
			'0111-0000-0000-0000-0000-0000-0000-0000'
		);
		expect(normalizeVerificationCode(code.slice(0, -1))).toBeNull();
		expect(normalizeVerificationCode(code.slice(0, -1) + 'u')).toBeNull();
		expect(normalizeVerificationCode('x'.repeat(10_000))).toBeNull();
	});
});
