import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from '../../src/lib/server/http/login-session';
import { passwordProblem } from '../../src/lib/server/auth/password';
import { lockoutMs, throttlePolicy } from '../../src/lib/server/auth/throttle';
import { formatWait } from '../../src/lib/format';

describe('password policy', () => {
	it('counts characters, not bytes', () => {
		expect(passwordProblem('🏃a🏃b🏃c🏃d')).toBeNull();
		expect(passwordProblem('ab🏃cd🏃e')).toMatch(/at least 8/);
		expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
	});
	it('refuses common passwords in any case, and the name or email', () => {
		expect(passwordProblem('Password1')).toMatch(/too common/);
		expect(passwordProblem('iloveyou')).toMatch(/too common/);
		expect(passwordProblem('zz-ANNABEL-zz', ['Annabel'])).toMatch(/name or email/);
		expect(passwordProblem('correct horse battery')).toBeNull();
	});
});

describe('lock-out schedule', () => {
	it('is free for the first failures, then doubles up to an hour for an account', () => {
		const account = throttlePolicy('account');
		expect(lockoutMs(4, account)).toBe(0);
		expect(lockoutMs(5, account)).toBe(1000);
		expect(lockoutMs(6, account)).toBe(2000);
		expect(lockoutMs(9, account)).toBe(16000);
		expect(lockoutMs(40, account)).toBe(60 * 60 * 1000);
		// The count outlives the longest lock many times over, so a lock never restarts it.
		expect(account.memoryMs).toBe(24 * 60 * 60 * 1000);
		expect(throttlePolicy('device')).toEqual(account);
	});
	it('keeps the shorter rule for a shared address', () => {
		const address = throttlePolicy('address');
		expect(lockoutMs(19, address)).toBe(0);
		expect(lockoutMs(40, address)).toBe(15 * 60 * 1000);
	});
	it('states waits in words', () => {
		expect(formatWait(1)).toBe('1 second');
		expect(formatWait(40)).toBe('40 seconds');
		expect(formatWait(61)).toBe('2 minutes');
		expect(formatWait(3600)).toBe('1 hour');
		expect(formatWait(3661)).toBe('1 hour 2 minutes');
	});
});

describe('redirect after log-in', () => {
	it('follows only same-site paths', () => {
		expect(safeRedirectTarget('/courses/x?y=1')).toBe('/courses/x?y=1');
		for (const bad of [
			'https://evil.example',
			'//evil.example',
			'/\\evil.example',
			'javascript:alert(1)',
			null
		])
			expect(safeRedirectTarget(bad)).toBe('/dashboard');
		for (const bad of ['/\t/evil.example', '/\n/evil.example', '/\n', '\n/x', '/\u0000'])
			expect(safeRedirectTarget(bad), JSON.stringify(bad)).toBe('/dashboard');
		expect(safeRedirectTarget('/courses/a#part')).toBe('/courses/a#part');
	});

	it('refuses paths that resolve to another host once dot segments are removed', () => {
		for (const bad of [
			'/..//evil.test',
			'/%2e%2e//evil.test',
			'/%2E%2E//evil.test/login',
			'/x/..//evil.test',
			'/./..//evil.test',
			'/.//evil.test',
			'/x/../..//evil.test',
			'/..\\evil.test',
			'/%5c%5cevil.test/..//x',
			'/%2f%2fevil.test/..//evil.test'
		])
			expect(safeRedirectTarget(bad), bad).toBe('/dashboard');
		// Encoded slashes stay part of one path segment on this site.
		expect(safeRedirectTarget('/%2F%2Fevil.test')).toBe('/%2F%2Fevil.test');
		expect(safeRedirectTarget('/courses/../dashboard')).toBe('/dashboard');
	});
});
