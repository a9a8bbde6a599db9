// `npm run verify-credential`, run as a child process the way a club secretary would run it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	buildCredential,
	CERTIFICATE_PATHS,
	issueCredential,
	issuerProfile,
	type CredentialInput
} from '../../src/lib/server/certificates/credential';
import {
	issuerDocuments,
	signEmbedded,
	statusListCredential
} from '../../src/lib/server/certificates/linked-data';
import {
	generateSigningJwk,
	JWKS_PATH,
	keyUrl,
	loadRsaSigningKey,
	loadSigningKey,
	publicJwks,
	RSA_SIGNING_KEY_ENV,
	SIGNING_KEY_ENV,
	type RsaPublicJwk,
	type SigningKey
} from '../../src/lib/server/certificates/keys';

const require = createRequire(import.meta.url);
const TSX = require.resolve('tsx/cli');
const SCRIPT = path.resolve('scripts/verify-credential.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'cert-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[TSX, SCRIPT, ...args],
			{ timeout: 60_000 },
			(error, stdout, stderr) =>
				resolve({
					code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
					stdout,
					stderr
				})
		);
	});
}

function write(name: string, contents: string): string {
	const file = path.join(dir, name);
	writeFileSync(file, contents);
	return file;
}

async function makeKey(): Promise<SigningKey> {
	const jwk = await generateSigningJwk();
	return loadSigningKey({ dataDir: dir, env: { [SIGNING_KEY_ENV]: JSON.stringify(jwk) } });
}

function input(siteUrl: string, code = newVerificationCode()): CredentialInput {
	return {
		siteUrl,
		issuer: { name: 'Stride Academy' },
		verificationCode: code,
		holder: { name: 'Мария Иванова' },
		course: {
			slug: 'hip-flexor-pain',
			title: 'Hip flexor and psoas pain in runners',
			version: 1,
			description: 'Hips.'
		},
		result: { scorePercent: 92, passPercent: 80 },
		completedAt: new Date('2025-03-12T10:00:00Z'),
		issuedAt: new Date('2025-03-12T10:00:00Z'),
		statusListIndex: 3
	};
}

function tamper(jwt: string): string {
	const [h, p, s] = jwt.split('.') as [string, string, string];
	const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as {
		credentialSubject: { result: { value: string }[] };
	};
	payload.credentialSubject.result[0]!.value = '100';
	return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

describe('verify-credential, offline with a JWKS file', { timeout: 60_000 }, () => {
	const SITE = 'https://learn.example.org';
	let key: SigningKey;
	let jwksFile: string;
	let jwt: string;
	beforeAll(async () => {
		key = await makeKey();
		jwksFile = write('jwks.json', JSON.stringify(publicJwks(SITE, key)));
		jwt = (await issueCredential(input(SITE), key)).jwt;
	});

	it('verifies a good credential file and prints who, what and when', async () => {
		const file = write('good.jwt', jwt + '\n');
		const { code, stdout } = await run(file, '--jwks', jwksFile, '--offline');
		expect(code).toBe(0);
		expect(stdout).toMatch(/^Proof checked: VC-JWT signature \(EdDSA\)\nVALID/);
		expect(stdout).toContain('Holder:     Мария Иванова');
		expect(stdout).toContain('Course:     Hip flexor and psoas pain in runners (version 1)');
		expect(stdout).toContain('Completed:  2025-03-12');
		expect(stdout).toContain('Final exam: 92%');
		expect(stdout).toContain('Status:     not checked (--offline)');
	});

	it('reads the credential from a JSON wrapper too', async () => {
		const file = write('wrapped.json', JSON.stringify({ jwt }));
		expect((await run(file, `--jwks=${jwksFile}`, '--offline')).code).toBe(0);
	});

	it('rejects a tampered credential with the reason, exit status 1', async () => {
		const file = write('tampered.jwt', tamper(jwt));
		const { code, stdout } = await run(file, '--jwks', jwksFile, '--offline');
		expect(code).toBe(1);
		expect(stdout).toMatch(/^INVALID \(bad-signature\): The signature does not match the content/m);
		expect(stdout).not.toContain('Holder:');
	});

	it('rejects a credential signed by someone else', async () => {
		const other = await makeKey();
		const file = write('other.jwt', (await issueCredential(input(SITE), other)).jwt);
		const { code, stdout } = await run(file, '--jwks', jwksFile, '--offline');
		expect(code).toBe(1);
		expect(stdout).toMatch(/^INVALID \(unknown-key\)/m);
	});

	it('says plainly when a file holds no credential, and when the call is wrong', async () => {
		const junk = await run(write('junk.txt', 'hello'), '--jwks', jwksFile, '--offline');
		expect(junk.code).toBe(1);
		expect(junk.stdout).toMatch(/does not hold a signed credential/);
		const missing = await run(path.join(dir, 'missing.jwt'), '--jwks', jwksFile);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(/Cannot read/);
		const usage = await run();
		expect(usage.code).toBe(2);
		expect(usage.stderr).toMatch(/Usage/);
	});
});

describe('verify-credential, online against the issuer, both forms', { timeout: 60_000 }, () => {
	let server: Server;
	let site: string;
	let rsa: SigningKey<RsaPublicJwk>;
	let ed: SigningKey;
	const revoked: number[] = [];
	let nextIndex = 0;
	beforeAll(async () => {
		rsa = await loadRsaSigningKey({
			dataDir: dir,
			env: { [RSA_SIGNING_KEY_ENV]: JSON.stringify(await generateSigningJwk('RSA')) }
		});
		ed = await makeKey();
		server = createServer((req, res) => {
			const url = new URL(req.url ?? '/', site);
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			void (async () => {
				const profile = issuerProfile(site, { name: 'Stride Academy' }, [keyUrl(site, ed.kid)]);
				const documents = await issuerDocuments(site, profile, [ed]);
				if (url.pathname === JWKS_PATH) return send(200, publicJwks(site, [rsa, ed]));
				if (documents.has(url.href)) return send(200, documents.get(url.href));
				if (url.pathname === CERTIFICATE_PATHS.statusList(1))
					return send(
						200,
						await statusListCredential({
							siteUrl: site,
							listUrl: url.href,
							list: 1,
							issuer: profile,
							revoked,
							key: { kid: ed.kid, privateJwk: ed.privateJwk },
							documents,
							changedAt: new Date(),
							ttlSeconds: 300
						})
					);
				send(404, { error: 'not found' });
			})();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	async function both(index: number) {
		const i = { ...input(site), statusListIndex: index };
		const { jwt } = await issueCredential(i, rsa);
		const profile = issuerProfile(site, { name: 'Stride Academy' }, [keyUrl(site, ed.kid)]);
		const ld = await signEmbedded(
			buildCredential(i),
			site,
			{ kid: ed.kid, privateJwk: ed.privateJwk },
			await issuerDocuments(site, profile, [ed])
		);
		return {
			jwt: write(`online-${index}.jwt`, jwt),
			ld: write(`online-${index}.json`, JSON.stringify(ld))
		};
	}

	it('finds the keys on the issuer’s site, says which proof it checked, and reads the status list', async () => {
		const files = await both(nextIndex++);
		const fromJwt = await run(files.jwt);
		expect(fromJwt.code).toBe(0);
		expect(fromJwt.stdout).toMatch(/^Proof checked: VC-JWT signature \(RS256\)$/m);
		expect(fromJwt.stdout).toContain(
			`VALID: the proof matches the issuer’s key (${site}${JWKS_PATH})`
		);
		expect(fromJwt.stdout).toMatch(
			/Status: +valid \(not revoked in the issuer’s signed status list\)/
		);
		const fromLd = await run(files.ld);
		expect(fromLd.code).toBe(0);
		expect(fromLd.stdout).toMatch(
			/^Proof checked: embedded Data Integrity proof \(eddsa-rdfc-2022\)$/m
		);
		expect(fromLd.stdout).toContain('Holder:     Мария Иванова');
		expect(fromLd.stdout).toMatch(/Status: +valid/);
	});

	it('reports a revoked credential, in either form, exit status 1', async () => {
		const index = nextIndex++;
		revoked.push(index);
		const files = await both(index);
		for (const file of [files.jwt, files.ld]) {
			const { code: exit, stdout } = await run(file);
			expect(exit, stdout).toBe(1);
			expect(stdout).toMatch(/^INVALID: the credential is genuine, but the issuer has revoked it/m);
			expect(stdout).toContain(
				'Status:     REVOKED (its bit is set in the issuer’s signed status list)'
			);
		}
	});

	it('rejects the JSON-LD form once one byte of it changed', async () => {
		const files = await both(nextIndex++);
		const text = readFileSync(files.ld, 'utf8').replace('"92"', '"93"');
		const { code: exit, stdout } = await run(write('flipped.json', text));
		expect(exit).toBe(1);
		expect(stdout).toMatch(/^INVALID \(bad-proof\): The embedded proof does not verify/m);
	});
});
