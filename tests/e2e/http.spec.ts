// Requests a browser would not make: bad input, cross-site posts, tampered cookies.
import { expect, test } from '@playwright/test';

// HTTP-level checks: run once, in the js project only (playwright.config.ts).
const form = (data: Record<string, string>) => new URLSearchParams(data).toString();
const headers = (origin: string) => ({
	'content-type': 'application/x-www-form-urlencoded',
	accept: 'text/html',
	origin
});

test('healthz reports the database', async ({ request }) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	expect(await res.json()).toEqual({ status: 'ok', database: 'ok', version: '0.1.0' });
});

test('a cross-site form post is refused', async ({ request, baseURL }) => {
	const res = await request.post('/signup', {
		headers: headers('https://evil.example'),
		data: form({ name: 'X', email: 'x@example.com', password: 'plum-tractor-71' })
	});
	expect(res.status()).toBe(403);
	const ok = await request.post('/login', {
		headers: headers(baseURL!),
		data: form({ email: 'a@b.co', password: 'x' })
	});
	expect(ok.status()).toBe(400);
});

test('oversized, missing and wrongly typed fields get a 400 with a message', async ({
	request,
	baseURL
}) => {
	const huge = 'a'.repeat(1024 * 1024);
	const cases: [Record<string, string>, RegExp][] = [
		[{ name: 'Big', email: 'big@example.com', password: huge }, /Use at most 128 characters/],
		[
			{ name: huge, email: 'big2@example.com', password: 'plum-tractor-71' },
			/at most 80 characters/
		],
		[{ name: 'Big', email: huge + '@example.com', password: 'plum-tractor-71' }, /too long/],
		[{}, /Name is required/],
		[{ name: 'Ok', email: 'no-at-sign', password: 'plum-tractor-71' }, /valid email/]
	];
	for (const [data, message] of cases) {
		const started = Date.now();
		const res = await request.post('/signup', { headers: headers(baseURL!), data: form(data) });
		expect(res.status()).toBe(400);
		expect(await res.text()).toMatch(message);
		expect(Date.now() - started).toBeLessThan(10_000);
	}
	const login = await request.post('/login', {
		headers: headers(baseURL!),
		data: form({ email: 'big@example.com', password: huge })
	});
	expect(login.status()).toBe(400);
	const multipart = await request.post('/signup', {
		headers: { origin: baseURL!, accept: 'text/html' },
		multipart: {
			name: { name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') },
			email: 'f@example.com',
			password: 'plum-tractor-71'
		}
	});
	expect(multipart.status()).toBe(400);
	expect(await multipart.text()).toMatch(/as text, not a file/);
});

test('a body over the limit is refused before any work', async ({ request, baseURL }) => {
	const res = await request.post('/login', {
		headers: headers(baseURL!),
		data: form({ email: 'a@b.co', password: 'a'.repeat(3 * 1024 * 1024) })
	});
	expect(res.status()).toBe(413);
});

test('a tampered, truncated or garbage cookie is treated as logged out', async ({ request }) => {
	for (const value of [
		'x',
		'a'.repeat(40),
		'%00%ff',
		'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
		"'; drop table users; --"
	]) {
		const res = await request.get('/dashboard', {
			headers: { cookie: `session=${value}` },
			maxRedirects: 0
		});
		expect(res.status()).toBe(303);
		const home = await request.get('/', { headers: { cookie: `session=${value}` } });
		expect(home.status()).toBe(200);
	}
});

test('responses carry the security headers and a nonce-based CSP', async ({ request }) => {
	const res = await request.get('/login');
	const h = res.headers();
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
	expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
	expect(h['content-security-policy']).not.toContain("'unsafe-inline' 'nonce");
	expect(h['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
});

test('every kind of response carries the security headers', async ({
	request,
	playwright,
	baseURL
}) => {
	const learner = await playwright.request.newContext({ baseURL });
	const signup = await learner.post('/signup', {
		headers: headers(baseURL!),
		data: form({
			name: 'Header Check',
			email: `headers-${Date.now()}@example.com`,
			password: 'plum-tractor-71'
		}),
		maxRedirects: 0
	});
	expect(signup.status()).toBe(303);
	const page = await request.get('/login');
	const asset = (await page.text()).match(/\/_app\/immutable\/[^"]+\.js/)?.[0];
	expect(asset).toBeDefined();
	const samples = {
		page,
		redirect: await request.get('/dashboard', { maxRedirects: 0 }),
		guard401: await request.post('/account?/profile', {
			headers: headers(baseURL!),
			data: form({ name: 'x' })
		}),
		guard404: await learner.get('/admin/users'),
		csrf403: await request.post('/signup', {
			headers: headers('https://evil.example'),
			data: form({ name: 'x' })
		}),
		tooLarge: await request.post('/login', {
			headers: headers(baseURL!),
			data: form({ password: 'a'.repeat(3 * 1024 * 1024) })
		}),
		staticFile: await request.get('/favicon.svg'),
		asset: await request.get(asset!),
		unknownRoute: await request.get('/no-such-page'),
		pageData: await request.get('/courses/__data.json')
	};
	expect(Object.fromEntries(Object.entries(samples).map(([k, r]) => [k, r.status()]))).toEqual({
		page: 200,
		redirect: 303,
		guard401: 401,
		guard404: 404,
		csrf403: 403,
		tooLarge: 413,
		staticFile: 200,
		asset: 200,
		unknownRoute: 404,
		pageData: 200
	});
	for (const [kind, res] of Object.entries(samples)) {
		const h = res.headers();
		expect(h['x-content-type-options'], kind).toBe('nosniff');
		expect(h['referrer-policy'], kind).toBe('strict-origin-when-cross-origin');
		expect(h['x-frame-options'], kind).toBe('DENY');
		expect(h['content-security-policy'], kind).toContain("frame-ancestors 'none'");
		expect(h['content-security-policy'], kind).not.toMatch(/script-src[^;]*unsafe-inline/);
		// HSTS only when the origin is https (see tests/process/http-server.test.ts).
		expect(h['strict-transport-security'], kind).toBeUndefined();
	}
	await learner.dispose();
});

test('many wrong passwords for one account are slowed down with a 429', async ({
	request,
	baseURL
}) => {
	const email = `locked-${Date.now()}@example.com`;
	const statuses: number[] = [];
	for (let i = 0; i < 7; i++) {
		const res = await request.post('/login', {
			headers: headers(baseURL!),
			data: form({ email, password: `wrong-${i}-pass` })
		});
		statuses.push(res.status());
	}
	expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
	expect(statuses.at(-1)).toBe(429);
	const res = await request.post('/login', {
		headers: headers(baseURL!),
		data: form({ email, password: 'x' })
	});
	expect(await res.text()).toMatch(/Too many failed attempts/);
});

test('after log-in only paths on this site are followed', async ({ request, baseURL }) => {
	const email = `redirect-${Date.now()}@example.com`;
	const signup = await request.post('/signup', {
		headers: headers(baseURL!),
		data: form({ name: 'Redirect', email, password: 'plum-tractor-71' }),
		maxRedirects: 0
	});
	expect(signup.status()).toBe(303);
	for (const target of [
		'/%09/evil.example',
		'//evil.example',
		'/%5Cevil.example',
		'/%0a',
		'https://evil.example'
	]) {
		const res = await request.get(`/login?redirectTo=${target}`, { maxRedirects: 0 });
		expect(res.status(), target).toBe(303);
		expect(res.headers()['location'], target).toBe('/dashboard');
	}
	const ok = await request.get('/login?redirectTo=/courses', { maxRedirects: 0 });
	expect(ok.headers()['location']).toBe('/courses');
});

test('a malformed form body gets a 400, not a 500', async ({ request, baseURL }) => {
	for (const path of ['/login', '/signup']) {
		const res = await request.post(path, {
			headers: {
				origin: baseURL!,
				'content-type': 'multipart/form-data; boundary=x',
				accept: 'text/html'
			},
			data: 'junk'
		});
		expect(res.status(), path).toBe(400);
	}
});
