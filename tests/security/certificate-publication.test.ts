// What a verifier outside the site reads, over real HTTP from the built app: the issuer profile,
// each key at its own URL (the JWS kid), the signed revocation list with cache headers, and the
// per-certificate status, all readable cross-origin (their 404s and preflights included); both
// credential forms accepted by the check on /verify/<code>, which says which proof it checked; and
// a revocation that shows in the list, verified with the issuer's published documents only.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { revokedByStatusList } from '../../src/lib/server/certificates/linked-data';
import { Client, signUp, type Account } from './support/client';
import { openSql, setRole } from './support/database';
import { completeFixtureCourse } from './support/quiz';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
const visitor = () => new Client(base);
const ELSEWHERE = 'https://wallet.example';

let holder: Account;
let id: string;
let code: string;
let jwt: string;
let ld: Record<string, unknown>;
beforeAll(async () => {
	holder = await signUp(base, 'Published Runner');
	id = await completeFixtureCourse(holder.client);
	const [row] = await sql`select code from certificates where id = ${id}`;
	code = row!.code as string;
	jwt = (await holder.client.text(`/certificates/${id}/credential.jwt`)).trim();
	const res = await holder.client.get(`/certificates/${id}/credential.json`);
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/vc+ld+json');
	ld = (await res.json()) as Record<string, unknown>;
}, 120_000);
afterAll(() => sql.end());

const header = (token: string) =>
	JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, string>;
const jsonOf = async (path: string) =>
	(await (await visitor().get(path, { accept: 'application/json' })).json()) as Record<
		string,
		unknown
	>;

describe('the keys', () => {
	it('sign the JWT with RS256, and the kid is a URL that answers that key as a JWK', async () => {
		const h = header(jwt);
		expect(h).toMatchObject({ alg: 'RS256', typ: 'JWT' });
		expect(Object.keys(h).sort()).toEqual(['alg', 'kid', 'typ']);
		const kid = new URL(h.kid!);
		expect(kid.pathname).toMatch(/^\/keys\/[\w-]+$/);
		const jwk = await jsonOf(kid.pathname);
		expect(jwk).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'RS256', use: 'sig', kid: h.kid });
		expect(jwk).not.toHaveProperty('d');
		expect(Buffer.from(jwk.n as string, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
		const jwks = (await jsonOf('/.well-known/jwks.json')) as { keys: { kid: string }[] };
		expect(jwks.keys.map((k) => k.kid)).toContain(h.kid);
		expect(jwks.keys).toHaveLength(2); // RSA for the JWT, Ed25519 for the embedded proof
	});

	it('of the embedded proof is listed by the issuer profile and answers as a Multikey', async () => {
		const proof = ld.proof as { verificationMethod: string; cryptosuite: string };
		expect(proof.cryptosuite).toBe('eddsa-rdfc-2022');
		const profile = await jsonOf('/issuer');
		expect(profile.assertionMethod).toEqual([proof.verificationMethod]);
		const method = await jsonOf(new URL(proof.verificationMethod).pathname);
		expect(method).toMatchObject({
			type: 'Multikey',
			controller: profile.id,
			kty: 'OKP',
			crv: 'Ed25519'
		});
		expect(method).not.toHaveProperty('d');
	});
});

describe('cross-origin reads of every public verification resource', () => {
	const paths = () => [
		'/issuer',
		'/.well-known/jwks.json',
		new URL(header(jwt).kid!).pathname,
		'/keys/no-such-key',
		'/status-lists/1',
		'/status-lists/999',
		`/verify/${code}/status`,
		'/verify/no-such-code/status'
	];

	it('answers GETs, 404s included, with Access-Control-Allow-Origin', async () => {
		for (const path of paths()) {
			const res = await visitor().get(path, { accept: 'application/json', origin: ELSEWHERE });
			expect([200, 404], path).toContain(res.status);
			expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
		}
	});

	it('answers preflights', async () => {
		for (const path of paths()) {
			const res = await visitor().fetch(path, {
				method: 'OPTIONS',
				headers: {
					origin: ELSEWHERE,
					'access-control-request-method': 'GET',
					'access-control-request-headers': 'accept'
				}
			});
			expect(res.status, path).toBe(204);
			expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
			expect(res.headers.get('access-control-allow-methods'), path).toContain('GET');
		}
	});

	it('shares nothing else: pages and certificate files stay same-origin', async () => {
		for (const path of [`/verify/${code}`, `/certificates/${id}/credential.jwt`, '/'])
			expect(
				(await holder.client.get(path, { origin: ELSEWHERE })).headers.get(
					'access-control-allow-origin'
				),
				path
			).toBeNull();
	});
});

describe('the revocation list', () => {
	it('is cacheable, answers 304 to its ETag, and carries the revocation once made', async () => {
		const first = await visitor().get('/status-lists/1', { accept: 'application/json' });
		expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^".+"$/);
		expect((await visitor().get('/status-lists/1', { 'if-none-match': etag })).status).toBe(304);

		// Read only with what the issuer publishes: the list, the profile and the key document.
		const documentsFor = async () => {
			const list = (await (await visitor().get('/status-lists/1')).json()) as Record<
				string,
				unknown
			>;
			const method = (list.proof as { verificationMethod: string }).verificationMethod;
			return new Map<string, unknown>([
				[`${base}/status-lists/1`, list],
				[`${base}/issuer`, await jsonOf('/issuer')],
				[method, await jsonOf(new URL(method).pathname)]
			]);
		};
		expect(await revokedByStatusList(ld, await documentsFor())).toEqual({
			ok: true,
			revoked: false
		});

		const admin = await signUp(base, 'List Admin', 'list-admin');
		await setRole(sql, admin.email, 'admin');
		const res = await admin.client.post('/admin/certificates?/revoke', { id, reason: 'Test' });
		expect(res.status).toBe(303);
		const after = await visitor().get('/status-lists/1', { 'if-none-match': etag });
		expect(after.status).toBe(200);
		expect(after.headers.get('etag')).not.toBe(etag);
		expect(await revokedByStatusList(ld, await documentsFor())).toEqual({
			ok: true,
			revoked: true
		});
		expect((await jsonOf(`/verify/${code}/status`)).status).toBe('revoked');
	});
});

describe('the check on /verify/<code>, with the JSON-LD form', () => {
	it('says Valid and names the embedded proof; another holder’s JSON-LD credential is not valid here', async () => {
		const other = await signUp(base, 'Other Published');
		const otherId = await completeFixtureCourse(other.client);
		const [row] = await sql`select code from certificates where id = ${otherId}`;
		const otherCode = row!.code as string;
		const otherLd = await other.client.text(`/certificates/${otherId}/credential.json`);
		const own = await visitor().post(`/verify/${otherCode}?/check`, { jwt: otherLd });
		expect(own.status).toBe(200);
		const ownPage = await own.text();
		expect(ownPage).toMatch(/Checked: embedded Data Integrity proof \(eddsa-rdfc-2022\)/);
		expect(ownPage).not.toContain('class="notice error"');

		const jwtCheck = await visitor().post(`/verify/${otherCode}?/check`, {
			jwt: (await other.client.text(`/certificates/${otherId}/credential.jwt`)).trim()
		});
		expect(await jwtCheck.text()).toMatch(/Checked: VC-JWT signature \(RS256\)/);

		const foreign = await visitor().post(`/verify/${otherCode}?/check`, {
			jwt: JSON.stringify(ld)
		});
		expect(foreign.status).toBe(400);
		const page = await foreign.text();
		expect(page).not.toContain('class="notice success"');
		expect(page).toMatch(/Not valid for this certificate/);

		const flipped = JSON.stringify(ld).replace('Published Runner', 'Published Runnes');
		const tampered = await visitor().post(`/verify/${code}?/check`, { jwt: flipped });
		expect(tampered.status).toBe(400);
		expect(await tampered.text()).toMatch(/embedded proof does not verify/);
	});
});
