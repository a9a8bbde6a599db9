// `npm run verify-credential`, run as a child process the way a club secretary would run it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	CERTIFICATE_PATHS,
	issueCredential,
	statusDocument,
	type CredentialInput
} from '../../src/lib/server/certificates/credential';
import {
	generateSigningJwk,
	JWKS_PATH,
	loadSigningKey,
	publicJwks,
	SIGNING_KEY_ENV,
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
		issuedAt: new Date('2025-03-12T10:00:00Z')
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
		expect(stdout).toMatch(/^VALID/);
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
		expect(stdout).toMatch(/^INVALID \(bad-signature\): The signature does not match the content/);
		expect(stdout).not.toContain('Holder:');
	});

	it('rejects a credential signed by someone else', async () => {
		const other = await makeKey();
		const file = write('other.jwt', (await issueCredential(input(SITE), other)).jwt);
		const { code, stdout } = await run(file, '--jwks', jwksFile, '--offline');
		expect(code).toBe(1);
		expect(stdout).toMatch(/^INVALID \(unknown-key\)/);
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

describe('verify-credential, online against the issuer', { timeout: 60_000 }, () => {
	let server: Server;
	let site: string;
	let key: SigningKey;
	const revoked = new Set<string>();
	beforeAll(async () => {
		key = await makeKey();
		server = createServer((req, res) => {
			const url = new URL(req.url ?? '/', site);
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (url.pathname === JWKS_PATH) return send(200, publicJwks(site, key));
			const match = /^\/verify\/([^/]+)\/status$/.exec(url.pathname);
			if (match) {
				const code = match[1]!;
				return send(
					200,
					statusDocument({
						siteUrl: site,
						verificationCode: code,
						revokedAt: revoked.has(code) ? new Date('2025-04-01T09:00:00Z') : null,
						reason: revoked.has(code) ? 'Issued in error' : null
					})
				);
			}
			send(404, { error: 'not found' });
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('finds the keys at the issuer’s well-known address and checks the status', async () => {
		const code = newVerificationCode();
		const file = write('online.jwt', (await issueCredential(input(site, code), key)).jwt);
		expect(CERTIFICATE_PATHS.status(code)).toBe(`/verify/${code}/status`);
		const { code: exit, stdout } = await run(file);
		expect(exit).toBe(0);
		expect(stdout).toContain(`VALID: the signature matches the issuer’s key (${site}${JWKS_PATH})`);
		expect(stdout).toMatch(/Status: +valid \(checked /);
	});

	it('reports a revoked credential with reason and date, exit status 1', async () => {
		const code = newVerificationCode();
		revoked.add(code);
		const file = write('revoked.jwt', (await issueCredential(input(site, code), key)).jwt);
		const { code: exit, stdout } = await run(file);
		expect(exit).toBe(1);
		expect(stdout).toMatch(/^INVALID: the credential is genuine, but the issuer has revoked it/);
		expect(stdout).toContain('Status:     REVOKED on 2025-04-01: Issued in error');
	});
});
