// Log-in, passwords and sessions (SECURITY.md promise 5, the Auth and Session rows), against the
// built server.
import { describe, expect, inject, it } from 'vitest';
import { Client, logIn, PASSWORD, signUp, uniqueEmail } from './support/client';
import { accountThrottle, endLock, lengthenLock, openSql } from './support/database';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));

describe('log-in throttling', () => {
	it('answers many wrong passwords with 429, and the real user gets in after the window', async () => {
		const { email } = await signUp(base, 'Throttled');
		const attacker = new Client(base);
		for (let i = 0; i < 5; i++)
			expect((await attacker.post('/login', { email, password: `wrong-${i}-pass` })).status).toBe(
				400
			);
		// The fifth failure locks the account (for a second, doubling with each failure after).
		expect(await accountThrottle(sql, email)).toEqual({ failures: 5, locked: true });
		await lengthenLock(sql, email);
		const wrong = await attacker.post('/login', { email, password: 'wrong-6-pass' });
		expect(wrong.status).toBe(429);
		expect(await wrong.text()).toMatch(/Too many failed attempts/);
		// Locked: even the right password from a fresh browser is refused, with a message.
		const locked = await new Client(base).post('/login', { email, password: PASSWORD });
		expect(locked.status).toBe(429);
		expect(await locked.text()).toMatch(/Too many failed attempts/);
		// Refused attempts are not counted: the lock does not grow while it holds.
		expect(await accountThrottle(sql, email)).toEqual({ failures: 5, locked: true });
		await endLock(sql, email);
		const after = await new Client(base).post('/login', { email, password: PASSWORD });
		expect(after.status).toBe(303);
		expect(after.headers.get('location')).toBe('/dashboard');
	});

	it('lets the user’s own browser (device cookie) in while the account is locked', async () => {
		const { client, email } = await signUp(base, 'Trusted');
		expect(client.cookies.has('device')).toBe(true);
		expect((await client.post('/logout')).status).toBe(303);
		const attacker = new Client(base);
		for (let i = 0; i < 5; i++)
			expect((await attacker.post('/login', { email, password: `guess-${i}-x` })).status).toBe(400);
		await lengthenLock(sql, email);
		expect((await new Client(base).post('/login', { email, password: PASSWORD })).status).toBe(429);
		const own = await client.post('/login', { email, password: PASSWORD });
		expect(own.status).toBe(303);
	});

	it('gives an unknown email and a wrong password the same status and message', async () => {
		const { email } = await signUp(base, 'Known');
		const known = await new Client(base).post('/login', { email, password: 'not-the-password' });
		const unknown = await new Client(base).post('/login', {
			email: uniqueEmail('nobody'),
			password: 'not-the-password'
		});
		expect(known.status).toBe(400);
		expect(unknown.status).toBe(known.status);
		const message = (html: string) => html.match(/role="alert"[^>]*>([^<]*)</)?.[1];
		const [a, b] = [message(await known.text()), message(await unknown.text())];
		expect(a).toMatch(/do not match/);
		expect(b).toBe(a);
	});
});

describe('password rules', () => {
	const attempt = (password: string) =>
		new Client(base).post('/signup', { name: 'Rules', email: uniqueEmail('rules'), password });

	it.each([
		['weak', 'aaaaaaaaaa', /too common or easy to guess/],
		['common', 'password123', /too common or easy to guess/],
		['7 characters', 'k9#vq2z', /at least 8 characters/]
	])('refuses a %s password with a message', async (_, password, message) => {
		const res = await attempt(password);
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(message);
	});

	it('accepts a 128-character Unicode password and checks it exactly as typed', async () => {
		const password = 'Ünïcødé-🏃‍♀️-пароль-密码-'.repeat(8).slice(0, 120).padEnd(128, 'ß');
		expect([...password].length).toBeLessThanOrEqual(128);
		const email = uniqueEmail('unicode');
		const made = await new Client(base).post('/signup', { name: 'Unicode', email, password });
		expect(made.status).toBe(303);
		expect((await new Client(base).post('/login', { email, password })).status).toBe(303);
		// One character off, or normalised differently, is a different password.
		for (const other of [password.slice(0, -1), password.normalize('NFD'), password.toUpperCase()])
			expect((await new Client(base).post('/login', { email, password: other })).status).toBe(400);
	});
});

describe('sessions', () => {
	it('stores only a hash of the token', async () => {
		const { client } = await signUp(base, 'Hashed');
		const token = client.cookies.get('session')!;
		expect(token.length).toBeGreaterThanOrEqual(32);
		expect(await sql`select 1 from sessions where id = ${token}`).toHaveLength(0);
	});

	it('refuses the old cookie replayed after log-out', async () => {
		const { client } = await signUp(base, 'Replay');
		const stolen = client.clone();
		expect((await stolen.get('/dashboard')).status).toBe(200);
		expect((await client.post('/logout')).status).toBe(303);
		const replay = await stolen.get('/dashboard');
		expect(replay.status).toBe(303);
		expect(replay.headers.get('location')).toMatch(/^\/login/);
	});

	it('treats tampered, truncated or garbage cookies as logged out, never a 500', async () => {
		const { client } = await signUp(base, 'Tamper');
		const token = client.cookies.get('session')!;
		const flipped = (token[0] === 'a' ? 'b' : 'a') + token.slice(1);
		for (const value of [
			flipped,
			token.slice(0, -1),
			token + 'a',
			token.toUpperCase(),
			'',
			'x',
			'a'.repeat(4096),
			'%00%ff',
			"'; drop table users; --",
			'${jndi:ldap://x}'
		]) {
			for (const path of ['/dashboard', '/account', '/coach']) {
				const res = await fetch(base + path, {
					headers: { cookie: `session=${value}` },
					redirect: 'manual'
				});
				expect(res.status, `${path} with ${value.slice(0, 20)}`).toBe(303);
				expect(res.headers.get('location')).toMatch(/^\/login/);
			}
			const home = await fetch(base + '/', { headers: { cookie: `session=${value}` } });
			expect(home.status).toBe(200);
		}
		expect((await client.get('/dashboard')).status).toBe(200);
	});

	it('ends every other session when the password changes', async () => {
		const { client, email } = await signUp(base, 'Changer');
		const otherBrowser = await logIn(base, email);
		expect((await otherBrowser.get('/dashboard')).status).toBe(200);
		const newPassword = 'quince-harbour-58';
		const res = await client.post('/account?/password', {
			current: PASSWORD,
			password: newPassword
		});
		expect(res.status).toBe(303);
		// The browser that changed it stays in; the other is logged out.
		expect((await client.get('/dashboard')).status).toBe(200);
		const ended = await otherBrowser.get('/dashboard');
		expect(ended.status).toBe(303);
		expect(ended.headers.get('location')).toMatch(/^\/login/);
		expect((await new Client(base).post('/login', { email, password: PASSWORD })).status).toBe(400);
		expect((await new Client(base).post('/login', { email, password: newPassword })).status).toBe(
			303
		);
	});

	it('ends the sessions of a disabled account at its next request', async () => {
		const { client, email } = await signUp(base, 'Disabled');
		await sql`update users set disabled_at = now() where email = ${email}`;
		const res = await client.get('/dashboard');
		expect(res.status).toBe(303);
		expect((await new Client(base).post('/login', { email, password: PASSWORD })).status).not.toBe(
			303
		);
	});
});
