// The site's address is never taken from a request (issue 23 item 5, issue 24 "The site's
// address"): with ORIGIN unset, a request sent with `Host: evil.test` or `X-Forwarded-Host:
// evil.test` gets certificates, keys, the issuer, the verification page and invitation links on
// the site's own address. Until an admin confirms one, that is this machine, and the start-up
// output, the admin pages and the certificate page say so; once they confirm
// https://club.example, a certificate issued before names it under its same code, on every
// instance.
import http from 'node:http';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, startApp, type App } from './support/app';
import { Client, signUp, type Account } from './support/client';
import { openSql, setRole } from './support/database';
import { completeFixtureCourse } from './support/quiz';
import { createTeam, invite } from './support/teams';

const NAME = 'security_site_address';
let a: App;
let b: App;
/** Behind a proxy, as the README advises for a site under several names. */
let proxied: App;
let sql: ReturnType<typeof openSql>;
let holder: Account;
let admin: Account;
let coachAccount: Account;
let certificateId: string;
let code: string;
let teamId: string;

beforeAll(async () => {
	const postgresUrl = inject('postgresUrl');
	await createDatabase(postgresUrl, NAME);
	// ORIGIN empty is unset (scripts/start.js): the address comes from the site's settings.
	a = await startApp(postgresUrl, NAME, 7, { ORIGIN: '' }, { existing: true });
	b = await startApp(postgresUrl, NAME, 8, { ORIGIN: '' }, { existing: true });
	proxied = await startApp(
		postgresUrl,
		NAME,
		9,
		{ ORIGIN: '', HOST_HEADER: 'x-forwarded-host', PROTOCOL_HEADER: 'x-forwarded-proto' },
		{ existing: true }
	);
	sql = openSql(a.databaseUrl);
	holder = await signUp(a.url, 'Certified Runner');
	certificateId = await completeFixtureCourse(holder.client);
	const [row] = await sql`select code from certificates where id = ${certificateId}`;
	code = row!.code as string;
	admin = await signUp(a.url, 'Site Admin', 'site-admin');
	await setRole(sql, admin.email, 'admin');
	coachAccount = await signUp(a.url, 'Head Coach', 'coach');
	await setRole(sql, coachAccount.email, 'coach');
	teamId = await createTeam(coachAccount.client, 'Harriers');
	await invite(coachAccount.client, sql, teamId);
}, 180_000);

afterAll(async () => {
	await sql?.end();
	await Promise.all([a?.stop(), b?.stop(), proxied?.stop()]);
});

/**
 * GET as a client that lies about the host: fetch() always sends the real Host, so this goes
 * through node:http, which sends the headers it is given.
 */
function getAs(
	app: App,
	path: string,
	headers: Record<string, string>,
	cookie = ''
): Promise<{ status: number; body: string }> {
	const url = new URL(path, app.url);
	return new Promise((resolve, reject) => {
		const req = http.get(
			url,
			{ headers: { accept: 'text/html', ...headers, ...(cookie ? { cookie } : {}) } },
			(res) => {
				let body = '';
				res.setEncoding('latin1');
				res.on('data', (d: string) => (body += d));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			}
		);
		req.on('error', reject);
	});
}

const FORGED: Record<string, string>[] = [
	{ host: 'evil.test' },
	{ 'x-forwarded-host': 'evil.test' },
	{ host: 'evil.test', 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' }
];

/**
 * Behind the proxy, the instance takes its request URL from X-Forwarded-Host (http, so the
 * cookies made on the direct instance still name the session).
 */
const FORGED_THROUGH_PROXY: Record<string, string>[] = [
	{ 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'http' },
	{ host: 'evil.test', 'x-forwarded-host': 'evil.test:8443', 'x-forwarded-proto': 'http' }
];

/** Each page under each forged header, on the direct instance and behind the proxy. */
async function forgedPages(check: (what: string, res: { status: number; body: string }) => void) {
	for (const [app, forged] of [
		[a, FORGED],
		[proxied, FORGED_THROUGH_PROXY]
	] as const)
		for (const headers of forged)
			for (const { path, as } of pages()) {
				const res = await getAs(app, path, headers, as?.client.cookieHeader);
				check(`${app === a ? 'direct' : 'proxied'} ${path} ${JSON.stringify(headers)}`, {
					status: res.status,
					body: path.endsWith('.jwt') ? readableJwt(res.body) : res.body
				});
			}
}

/** A JWT's header and payload as text, so the addresses inside can be searched. */
const readableJwt = (jwt: string) =>
	jwt
		.trim()
		.split('.')
		.slice(0, 2)
		.map((part) => Buffer.from(part, 'base64url').toString())
		.join('\n');

/** Every page and document that carries an absolute address, with who may read it. */
const pages = () => [
	{ path: '/certificates', as: holder },
	{ path: `/certificates/${certificateId}/credential.jwt`, as: holder },
	{ path: '/courses/fixture-course/complete', as: holder },
	{ path: '/account/data.json', as: holder },
	{ path: `/coach/teams/${teamId}?section=invitations`, as: coachAccount },
	{ path: '/.well-known/jwks.json' },
	{ path: '/issuer' },
	{ path: `/verify/${code}` },
	{ path: `/verify/${code}/status` }
];

/** The credential as the holder downloads it, decoded. */
async function credential(client: Client) {
	const jwt = (await client.text(`/certificates/${certificateId}/credential.jwt`)).trim();
	return {
		claims: decodeJwt(jwt) as Record<string, unknown> & { issuer: { id: string } },
		kid: decodeProtectedHeader(jwt).kid
	};
}

describe('with ORIGIN unset, before an admin confirms the address', () => {
	it('says in one start-up line that only this machine can open it', () => {
		const lines = a.server.output().split('\n');
		const line = lines.filter((l) => /only this machine can open/.test(l));
		expect(line).toHaveLength(1);
		expect(line[0]).toContain(a.url);
		expect(line[0]).toContain('/admin/settings');
	});

	it('never takes the address from Host or X-Forwarded-Host', async () => {
		// Soft: a failure lists every page and header that leaked, not only the first.
		await forgedPages((what, res) => {
			expect.soft(res.status, what).toBe(200);
			expect.soft(res.body, what).not.toContain('evil.test');
		});
		const jwt = await getAs(
			a,
			`/certificates/${certificateId}/credential.jwt`,
			{ host: 'evil.test' },
			holder.client.cookieHeader
		);
		expect(decodeJwt(jwt.body.trim()).iss).toBe(`${a.url}/issuer`);
	});

	it('warns on the admin pages and on the learner’s certificate page', async () => {
		for (const path of ['/admin', '/admin/users', '/admin/certificates']) {
			const page = await admin.client.text(path);
			expect(page, path).toContain('Setup: confirm this site');
			expect(page, path).toContain('only this machine can open');
			expect(page, path).toContain('href="/admin/settings"');
		}
		expect(await holder.client.text('/certificates')).toContain(
			'your certificates can be checked only on this machine'
		);
	});

	it('keeps the settings page and its action to admins', async () => {
		expect((await holder.client.get('/admin/settings')).status).toBe(404);
		const post = await holder.client.post('/admin/settings?/address', {
			address: 'https://evil.test'
		});
		expect(post.status).toBe(404);
		const page = await admin.client.text('/admin/settings');
		// Prefilled with the address the admin browses from, saved only on confirming.
		expect(page).toContain(`value="${a.url}"`);
		const [row] =
			await sql`select count(*)::int as n from site_settings where key = 'public_address'`;
		expect(row!.n).toBe(0);
	});
});

/** The issuer profile an instance serves, once it names club.example or after 10 seconds. */
async function issuerSeenBy(app: App, headers: Record<string, string> = {}) {
	const deadline = Date.now() + 10_000;
	let issuer = '';
	while (Date.now() < deadline) {
		issuer = (await getAs(app, '/issuer', headers)).body;
		if (issuer.includes('club.example')) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	return issuer;
}

describe('once an admin confirms https://club.example', () => {
	beforeAll(async () => {
		const refused = await admin.client.post('/admin/settings?/address', {
			address: 'https://club.example/admin'
		});
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('without a path');
		const res = await admin.client.post('/admin/settings?/address', {
			address: 'https://club.example'
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin/settings?saved=address&reissued=1');
	});

	it('re-issues the earlier certificate under its same code, on the new address', async () => {
		const { claims, kid } = await credential(holder.client);
		expect(claims.iss).toBe('https://club.example/issuer');
		expect(claims.issuer.id).toBe('https://club.example/issuer');
		expect(claims.id).toBe(`https://club.example/verify/${code}`);
		// Each key at its own URL on the site (OB 3.0: kid dereferences to a JWK).
		expect(kid).toMatch(/^https:\/\/club\.example\/keys\//);
		const list = await holder.client.text('/certificates');
		expect(list).toContain(`https://club.example/verify/${code}`);
		expect(list).not.toContain('checked only on this machine');
		expect(await holder.client.text('/courses/fixture-course/complete')).toContain(
			`https://club.example/verify/${code}`
		);
		const [history] = await sql`select reason from certificate_history
			where certificate_id = ${certificateId} and action = 'reissued'`;
		expect(history!.reason).toContain('to https://club.example');
	});

	it('names it on the keys, the issuer, the verification page and invitation links', async () => {
		// The proxied instance read the address before the change: it follows within seconds.
		expect(await issuerSeenBy(proxied, { 'x-forwarded-proto': 'http' })).toContain('club.example');
		const visitor = new Client(a.url);
		expect(await visitor.text('/issuer')).toContain('"id":"https://club.example/issuer"');
		expect(await visitor.text('/.well-known/jwks.json')).toContain(
			'"kid":"https://club.example/keys/'
		);
		expect(await visitor.text(`/verify/${code}`)).toContain('https://club.example');
		expect(await coachAccount.client.text(`/coach/teams/${teamId}?section=invitations`)).toContain(
			'https://club.example/join/'
		);
		await forgedPages((what, res) => {
			expect.soft(res.status, what).toBe(200);
			expect.soft(res.body, what).not.toContain('evil.test');
			expect.soft(res.body, what).toContain('club.example');
		});
	});

	it('drops the warnings on the admin pages', async () => {
		const page = await admin.client.text('/admin/users');
		expect(page).not.toContain('Setup: confirm this site');
		expect(page).not.toContain('only this machine');
		expect(await admin.client.text('/admin/settings')).toContain('(confirmed by an admin)');
	});

	it('reaches the other instance within seconds', async () => {
		expect(await issuerSeenBy(b)).toContain('"id":"https://club.example/issuer"');
		const moved = new Client(b.url);
		for (const [k, v] of holder.client.cookies) moved.cookies.set(k, v);
		expect((await credential(moved)).claims.iss).toBe('https://club.example/issuer');
	});
});
