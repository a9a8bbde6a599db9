// Certificates cannot be guessed, forged or silently changed (SECURITY.md promise 9): codes carry
// at least 128 random bits, the verification page shows the record's facts, an altered
// credential fails the check, and a revoked certificate says so.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from './support/app';
import { Client, signUp, type Account } from './support/client';
import { openSql, setRole } from './support/database';
import { completeFixtureCourse } from './support/quiz';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
let holder: Account;
let certificateId: string;
let code: string;
beforeAll(async () => {
	holder = await signUp(base, 'Certified Runner');
	certificateId = await completeFixtureCourse(holder.client);
	const [row] = await sql`select code from certificates where id = ${certificateId}`;
	code = row!.code as string;
}, 120_000);
afterAll(() => sql.end());

const visitor = () => new Client(base);

describe('a certificate’s verification code', () => {
	it('carries at least 128 random bits, and a guessed or altered code finds nothing', async () => {
		expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(Buffer.from(code, 'base64url').length).toBeGreaterThanOrEqual(16);
		const page = await visitor().text(`/verify/${code}`);
		expect(page).toContain('Certified Runner');
		expect(page).toContain('Brewing a pot of tea');
		const flipped = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
		for (const guess of [flipped, code.slice(0, -1), code + 'A', crypto.randomUUID(), '1'])
			expect((await visitor().get(`/verify/${guess}`)).status, guess).toBe(404);
	});
});

describe('the signed credential', () => {
	it('checks out unaltered, and fails the check once any part is changed', async () => {
		const jwt = (await holder.client.text(`/certificates/${certificateId}/credential.jwt`)).trim();
		const [header, payload, signature] = jwt.split('.');
		const ok = await visitor().post(`/verify/${code}?/check`, { jwt });
		expect(ok.status).toBe(200);
		const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as unknown;
		const renamed = Buffer.from(
			JSON.stringify(claims).replaceAll('Certified Runner', 'Someone Else')
		).toString('base64url');
		expect(renamed).not.toBe(payload);
		for (const forged of [
			`${header}.${renamed}.${signature}`,
			`${header}.${payload}.${signature!.slice(0, -2)}AA`,
			`${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`
		]) {
			const res = await visitor().post(`/verify/${code}?/check`, { jwt: forged });
			expect(res.status).toBe(400);
			expect(await res.text()).not.toMatch(/signature is valid/i);
		}
	});

	it('is shown as revoked on the verification page once an admin revokes it', async () => {
		const other = await signUp(base, 'Revoked Runner');
		const id = await completeFixtureCourse(other.client);
		const [row] = await sql`select code from certificates where id = ${id}`;
		const admin = await signUp(base, 'Cert Admin', 'cert-admin');
		await setRole(sql, admin.email, 'admin');
		const res = await admin.client.post('/admin/certificates?/revoke', {
			id,
			reason: 'Issued in error'
		});
		expect(res.status).toBe(303);
		const page = await visitor().text(`/verify/${row!.code as string}`);
		expect(page).toMatch(/revoked/i);
		expect(page).toContain('Issued in error');
	});
});

describe('guessing codes at speed', () => {
	let limited: App;
	beforeAll(async () => {
		// An instance on the same database that knows each client's address (from the proxy's
		// header) and allows 3 misses an hour, so the limit is reached quickly.
		limited = await startApp(
			inject('postgresUrl'),
			new URL(inject('appDatabaseUrl')).pathname.slice(1),
			5,
			{ ADDRESS_HEADER: 'x-forwarded-for', VERIFY_ADDRESS_ALLOWANCE: '3' },
			{ existing: true }
		);
	}, 60_000);
	afterAll(() => limited?.stop());

	const from = (address: string, pathname: string) =>
		fetch(limited.url + pathname, { headers: { 'x-forwarded-for': address } });
	const guess = () => crypto.randomUUID().replaceAll('-', '').slice(0, 22);

	it('is refused after the allowance of misses, while real certificates still show', async () => {
		const guesser = '203.0.113.7';
		expect((await from(guesser, `/verify/${guess()}`)).status).toBe(404);
		expect((await from(guesser, `/verify/${guess()}/status`)).status).toBe(404);
		expect((await from(guesser, `/verify/${guess()}`)).status).toBe(404);
		const refused = await from(guesser, `/verify/${guess()}`);
		expect(refused.status).toBe(429);
		expect(await refused.text()).toMatch(/Too many checks from your address\. Try again in \d+/);
		expect((await from(guesser, `/verify/${guess()}/status`)).status).toBe(429);
		// A certificate that exists is one read, never counted or refused...
		for (let i = 0; i < 5; i++) expect((await from(guesser, `/verify/${code}`)).status).toBe(200);
		// ...and another address has its own allowance.
		expect((await from('203.0.113.8', `/verify/${guess()}`)).status).toBe(404);
	});
});
