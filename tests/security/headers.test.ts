// Response headers on every main page (SECURITY.md promise 7) and the cookies' flags (promise 5):
// a CSP with no inline-script allowance, nosniff, Referrer-Policy, no framing; session and
// device cookies HttpOnly and SameSite=Lax, and Secure with the __Host- prefix on https, here
// behind a proxy that says so through PROTOCOL_HEADER.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, PASSWORD, uniqueEmail } from './support/client';
import { openSql } from './support/database';
import { startApp, type App } from './support/app';
import { buildWorld, type World } from './support/world';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
let world: World;
beforeAll(async () => {
	world = await buildWorld(base, sql);
}, 120_000);
afterAll(() => sql.end());

function expectSecurityHeaders(res: Response, what: string) {
	const h = res.headers;
	expect(h.get('x-content-type-options'), what).toBe('nosniff');
	expect(h.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
	expect(h.get('x-frame-options'), what).toBe('DENY');
	const csp = Object.fromEntries(
		(h.get('content-security-policy') ?? '')
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name!, values])
	);
	expect(csp['frame-ancestors'], what).toEqual(["'none'"]);
	// No plugins: object-src, or a default-src of 'none' on responses that are not pages.
	expect(csp['object-src'] ?? csp['default-src'], what).toEqual(["'none'"]);
	const scripts = csp['script-src'] ?? csp['default-src'];
	expect(scripts, what).toBeDefined();
	expect(scripts, what).not.toContain("'unsafe-inline'");
	expect(scripts, what).not.toContain("'unsafe-eval'");
	expect(scripts, what).not.toContain('*');
	expect(
		scripts!.every((s) => !/^(https?:|data:|blob:)/.test(s)),
		what
	).toBe(true);
	return { csp, scripts: scripts! };
}

describe('every main page', () => {
	const pages = (): [string, Client, string][] => {
		const visitor = new Client(base);
		const code = world.params.code![1]!;
		return [
			['visitor', visitor, '/'],
			['visitor', visitor, '/courses'],
			['visitor', visitor, '/courses/fixture-course'],
			['visitor', visitor, '/login'],
			['visitor', visitor, '/signup'],
			['visitor', visitor, `/verify/${code}`],
			['learner', world.learner.client, '/dashboard'],
			['learner', world.learner.client, '/account'],
			['learner', world.learner.client, '/certificates'],
			['learner', world.learner.client, '/courses/fixture-course/basics/first-steps'],
			['learner', world.learner.client, '/courses/fixture-course/basics/quiz'],
			['learner', world.learner.client, '/courses/fixture-course/exam'],
			['coach', world.coach.client, '/coach'],
			['coach', world.coach.client, `/coach/teams/${world.params.team![0]}`],
			['admin', world.admin.client, '/admin'],
			['admin', world.admin.client, '/admin/users'],
			['admin', world.admin.client, '/admin/regrade'],
			['admin', world.admin.client, '/admin/certificates']
		];
	};

	it('carries a nonce CSP without inline-script allowance, nosniff, Referrer-Policy and no framing', async () => {
		for (const [role, client, path] of pages()) {
			const res = await client.get(path);
			const what = `${role} ${path}`;
			expect(res.status, what).toBe(200);
			const { csp, scripts } = expectSecurityHeaders(res, what);
			expect(csp['object-src'], what).toEqual(["'none'"]);
			expect(csp['base-uri'], what).toEqual(["'self'"]);
			const nonce = scripts.find((s) => s.startsWith("'nonce-"));
			expect(nonce, what).toBeDefined();
			// Every inline script in the page carries that nonce; none goes without.
			const html = await res.text();
			for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
				expect(tag, what).toContain(`nonce="${nonce!.slice(7, -1)}"`);
			// A fresh nonce per response.
			const again = expectSecurityHeaders(await client.get(path), what);
			expect(again.scripts, what).not.toContain(nonce);
			if (role !== 'visitor')
				expect(res.headers.get('cache-control'), what).toBe('private, no-store');
		}
	});

	it('and every other kind of response carries the headers too', async () => {
		const html = await new Client(base).text('/login');
		const asset = html.match(/\/_app\/immutable\/[^"]+\.js/)?.[0];
		const visitor = new Client(base);
		const answers: [string, Response][] = [
			['static file', await visitor.get('/favicon.svg')],
			['asset', await visitor.get(asset!)],
			['404', await visitor.get('/no-such-page')],
			['guard 404', await world.learner.client.get('/admin/users')],
			['redirect', await visitor.get('/dashboard')],
			['csrf 403', await visitor.post('/login', {}, { origin: 'https://evil.example' })],
			['endpoint', await visitor.get('/healthz')],
			['csv', await world.coach.client.get(`/coach/teams/${world.params.team![0]}/grid.csv`)]
		];
		for (const [what, res] of answers) expectSecurityHeaders(res, what);
	});
});

describe('cookies', () => {
	it('are HttpOnly, SameSite=Lax, Path=/ and not Secure on plain http', async () => {
		const client = new Client(base);
		const res = await client.post('/signup', {
			name: 'Cookie',
			email: uniqueEmail('cookie'),
			password: PASSWORD
		});
		expect(res.status).toBe(303);
		const cookies = res.headers.getSetCookie();
		for (const name of ['session', 'device']) {
			const set = cookies.find((c) => c.startsWith(`${name}=`));
			expect(set, name).toBeDefined();
			expect(set).toMatch(/; HttpOnly/i);
			expect(set).toMatch(/; SameSite=Lax/i);
			expect(set).toMatch(/; Path=\//i);
			expect(set).not.toMatch(/; Secure/i);
		}
	});

	describe('behind an https proxy (PROTOCOL_HEADER)', () => {
		let proxied: App;
		beforeAll(async () => {
			// A second instance on the same database, trusting X-Forwarded-Proto, with no ORIGIN.
			proxied = await startApp(
				inject('postgresUrl'),
				new URL(inject('appDatabaseUrl')).pathname.slice(1),
				1,
				{ ORIGIN: '', PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'host' },
				{ existing: true }
			);
		});
		afterAll(() => proxied?.stop());

		it('are Secure with the __Host- prefix, and HSTS is sent', async () => {
			const { host } = new URL(proxied.url);
			const https = `https://${host}`;
			const res = await fetch(proxied.url + '/signup', {
				method: 'POST',
				redirect: 'manual',
				headers: {
					'x-forwarded-proto': 'https',
					origin: https,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({
					name: 'Https',
					email: uniqueEmail('https'),
					password: PASSWORD
				})
			});
			expect(res.status).toBe(303);
			expect(res.headers.get('strict-transport-security')).toBe(
				'max-age=31536000; includeSubDomains'
			);
			const cookies = res.headers.getSetCookie();
			for (const name of ['__Host-session', '__Host-device']) {
				const set = cookies.find((c) => c.startsWith(`${name}=`));
				expect(set, name).toBeDefined();
				expect(set).toMatch(/; Secure/i);
				expect(set).toMatch(/; HttpOnly/i);
				expect(set).toMatch(/; SameSite=Lax/i);
				expect(set).toMatch(/; Path=\//i);
				expect(set).not.toMatch(/; Domain=/i);
			}
			expect(cookies.some((c) => /^(session|device)=/.test(c))).toBe(false);
			// The __Host- cookie is the session over https; a plain `session` cookie is not read there.
			const token = cookies.find((c) => c.startsWith('__Host-session='))!.split(';')[0]!;
			const asHttps = { 'x-forwarded-proto': 'https' };
			const page = await fetch(proxied.url + '/dashboard', {
				headers: { ...asHttps, cookie: token },
				redirect: 'manual'
			});
			expect(page.status).toBe(200);
			const plain = token.replace('__Host-session=', 'session=');
			const downgraded = await fetch(proxied.url + '/dashboard', {
				headers: { ...asHttps, cookie: plain },
				redirect: 'manual'
			});
			expect(downgraded.status).toBe(303);
		});
	});
});
