import { describe, expect, it } from 'vitest';
import { isPublicPath, requiredRole } from '../../src/lib/server/auth/access';
import { safeRedirectTarget } from '../../src/lib/server/auth/login-session';
import { passwordProblem } from '../../src/lib/server/auth/password';
import { lockoutMs } from '../../src/lib/server/auth/throttle';

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
	it('is free for the first failures, then doubles up to 15 minutes', () => {
		expect(lockoutMs(4, 5)).toBe(0);
		expect(lockoutMs(5, 5)).toBe(1000);
		expect(lockoutMs(6, 5)).toBe(2000);
		expect(lockoutMs(9, 5)).toBe(16000);
		expect(lockoutMs(40, 5)).toBe(15 * 60 * 1000);
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
	});
});

describe('access rules', () => {
	it('denies by default', () => {
		expect(isPublicPath('/')).toBe(true);
		expect(isPublicPath('/login')).toBe(true);
		expect(isPublicPath('/courses/hip-flexor-pain')).toBe(true);
		expect(isPublicPath('/courses/hip-flexor-pain/anatomy/meet')).toBe(false);
		expect(isPublicPath('/dashboard')).toBe(false);
		expect(isPublicPath('/account')).toBe(false);
		expect(isPublicPath('/loginx')).toBe(false);
	});
	it('keeps admin and coach areas to their roles', () => {
		expect(requiredRole('/admin/users')).toEqual(['admin']);
		expect(requiredRole('/coach')).toEqual(['coach', 'admin']);
		expect(requiredRole('/administrator')).toBeNull();
	});
});
