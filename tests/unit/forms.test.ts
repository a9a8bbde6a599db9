import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fields, readForm } from '../../src/lib/server/http/forms';

const schema = z.object({ name: fields.name, email: fields.email, password: fields.password });

function form(entries: [string, string | Blob][]) {
	const fd = new FormData();
	for (const [k, v] of entries) fd.append(k, v);
	return fd;
}

describe('readForm', () => {
	it('accepts good input and trims it', () => {
		const r = readForm(
			form([
				['name', ' Ann '],
				['email', ' Ann@Example.com'],
				['password', 'x']
			]),
			schema
		);
		expect(r.ok && r.data).toEqual({ name: 'Ann', email: 'Ann@Example.com', password: 'x' });
	});
	it('gives one message per missing or malformed field, and keeps the values but not the password', () => {
		const r = readForm(
			form([
				['name', ''],
				['email', 'not-an-email'],
				['password', 'secret']
			]),
			schema
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.name).toBe('Enter your name.');
		expect(r.errors.email).toMatch(/valid email/);
		expect(r.errors.password).toBeUndefined();
		expect(r.values).toEqual({ name: '', email: 'not-an-email' });
	});
	it('says which fields are missing', () => {
		const r = readForm(form([]), schema);
		expect(!r.ok && r.errors).toEqual({
			name: 'Name is required.',
			email: 'Email is required.',
			password: 'Password is required.'
		});
	});
	it('refuses files, repeated fields and huge values without echoing them', () => {
		const huge = 'a'.repeat(1_000_000);
		const r = readForm(
			form([
				['name', new Blob(['x'])],
				['email', 'a@b.co'],
				['email', 'c@d.co'],
				['password', huge]
			]),
			schema
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.name).toMatch(/text/);
		expect(r.errors.email).toMatch(/only once/);
		const r2 = readForm(
			form([
				['name', huge],
				['email', huge],
				['password', huge]
			]),
			schema
		);
		expect(!r2.ok && r2.errors.name).toMatch(/at most 80/);
		expect(!r2.ok && r2.errors.password).toMatch(/128/);
		expect(!r2.ok && r2.values).toEqual({});
	});
	it('refuses control characters in names', () => {
		const r = readForm(
			form([
				['name', 'A\u0000B'],
				['email', 'a@b.co'],
				['password', 'x']
			]),
			schema
		);
		expect(!r.ok && r.errors.name).toMatch(/invalid characters/);
	});
});
