import { mkdtempSync, rmSync, statSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	generateSigningJwk,
	jwksUrl,
	keyIdUri,
	loadRetiredPublicKeys,
	loadRsaSigningKey,
	loadSigningKey,
	RSA_SIGNING_KEY_ENV,
	RSA_SIGNING_KEY_FILE,
	publicJwks,
	RETIRED_KEYS_FILE,
	retiredPublicKeys,
	SIGNING_KEY_ENV,
	SIGNING_KEY_FILE,
	signingKey,
	SigningKeyError
} from '../../src/lib/server/certificates/keys';

const dirs: string[] = [];
function tempDir() {
	const dir = mkdtempSync(path.join(tmpdir(), 'cert-keys-'));
	dirs.push(dir);
	return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const noEnv = {};

// RSA key generation is slow on a busy machine: allow for it.
describe('the RSA key of the VC-JWT (RS256)', { timeout: 60_000 }, () => {
	it('is generated on first use, 2048 bits or more, once when many processes race, then reused', async () => {
		const dataDir = tempDir();
		const keys = await Promise.all(
			Array.from({ length: 8 }, () => loadRsaSigningKey({ dataDir, env: noEnv }))
		);
		expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
		expect(keys.filter((k) => k.source === 'file-created')).toHaveLength(1);
		const file = path.join(dataDir, RSA_SIGNING_KEY_FILE);
		if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(Buffer.from(keys[0]!.publicJwk.n, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
		const again = await loadRsaSigningKey({ dataDir, env: noEnv });
		expect(again).toMatchObject({ source: 'file', kid: keys[0]!.kid });
		// The Ed25519 key lives in its own file beside it.
		expect((await loadSigningKey({ dataDir, env: noEnv })).source).toBe('file-created');
	});

	it('comes from CERTIFICATE_RSA_SIGNING_KEY, and a short or wrong key is refused plainly', async () => {
		const dataDir = tempDir();
		const jwk = await generateSigningJwk('RSA');
		const key = await loadRsaSigningKey({
			dataDir,
			env: { [RSA_SIGNING_KEY_ENV]: JSON.stringify(jwk) }
		});
		expect(key).toMatchObject({ source: 'env', kid: jwk.kid });
		const { generateKeyPairSync } = await import('node:crypto');
		const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
			format: 'jwk'
		});
		await expect(
			loadRsaSigningKey({ dataDir, env: { [RSA_SIGNING_KEY_ENV]: JSON.stringify(short) } })
		).rejects.toThrow(/1024 bits; certificates need 2048 bits or more/);
		await expect(
			loadRsaSigningKey({
				dataDir,
				env: { [RSA_SIGNING_KEY_ENV]: JSON.stringify(await generateSigningJwk()) }
			})
		).rejects.toThrow(/must be an RSA key/);
	});
});

describe('the signing key', () => {
	it('is generated on first use into DATA_DIR with mode 0600, then reused', async () => {
		const dataDir = path.join(tempDir(), 'nested', 'data');
		const first = await loadSigningKey({ dataDir, env: noEnv });
		expect(first.source).toBe('file-created');
		const file = path.join(dataDir, SIGNING_KEY_FILE);
		if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
		const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		expect(stored).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.kid, alg: 'EdDSA' });
		expect(typeof stored.d).toBe('string');

		const again = await loadSigningKey({ dataDir, env: noEnv });
		expect(again.source).toBe('file');
		expect(again.kid).toBe(first.kid);
		expect(again.publicJwk).toEqual(first.publicJwk);
	});

	it('is created once when many processes start together', async () => {
		const dataDir = tempDir();
		const keys = await Promise.all(
			Array.from({ length: 12 }, () => loadSigningKey({ dataDir, env: noEnv }))
		);
		expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
		expect(keys.filter((k) => k.source === 'file-created')).toHaveLength(1);
	});

	it('tightens a key file whose permissions were loosened', async () => {
		if (process.platform === 'win32') return;
		const dataDir = tempDir();
		await loadSigningKey({ dataDir, env: noEnv });
		const file = path.join(dataDir, SIGNING_KEY_FILE);
		chmodSync(file, 0o644);
		await loadSigningKey({ dataDir, env: noEnv });
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('comes from CERTIFICATE_SIGNING_KEY when set, and no file is written', async () => {
		const dataDir = tempDir();
		const jwk = await generateSigningJwk();
		const key = await loadSigningKey({ dataDir, env: { [SIGNING_KEY_ENV]: JSON.stringify(jwk) } });
		expect(key.source).toBe('env');
		expect(key.kid).toBe(jwk.kid);
		expect(key.publicJwk.x).toBe(jwk.x);
		expect(() => statSync(path.join(dataDir, SIGNING_KEY_FILE))).toThrow();

		const { kid: _kid, ...withoutKid } = jwk;
		const derived = await loadSigningKey({
			dataDir,
			env: { [SIGNING_KEY_ENV]: JSON.stringify(withoutKid) }
		});
		expect(derived.kid).toBe(jwk.kid); // the thumbprint
	});

	it('refuses an unusable configured key with a message that does not echo it', async () => {
		const dataDir = tempDir();
		const jwk = await generateSigningJwk();
		const { d, ...publicOnly } = jwk;
		const cases: [string, RegExp][] = [
			['not json', /not valid JSON/],
			['[1,2]', /not a JSON object/],
			[JSON.stringify({ ...jwk, crv: 'P-256' }), /must be an Ed25519 key/],
			[JSON.stringify(publicOnly), /no valid private part/],
			[JSON.stringify({ ...jwk, x: 'short' }), /no valid public part/],
			[JSON.stringify({ ...jwk, kid: 'has spaces and / slashes' }), /kid/]
		];
		for (const [value, message] of cases) {
			const attempt = loadSigningKey({ dataDir, env: { [SIGNING_KEY_ENV]: value } });
			await expect(attempt).rejects.toThrow(SigningKeyError);
			await expect(attempt).rejects.toThrow(message);
			await attempt.catch((e: Error) => expect(e.message).not.toContain(d!));
		}
	});

	it('refuses a damaged key file instead of signing with a new key', async () => {
		const dataDir = tempDir();
		writeFileSync(path.join(dataDir, SIGNING_KEY_FILE), '{"kty":"OKP"', { mode: 0o600 });
		await expect(loadSigningKey({ dataDir, env: noEnv })).rejects.toThrow(/not valid JSON/);
	});

	it('is loaded once per process by signingKey()', async () => {
		const dataDir = tempDir();
		const [a, b] = await Promise.all([
			signingKey({ dataDir, env: noEnv }),
			signingKey({ dataDir, env: noEnv })
		]);
		expect(a).toBe(b);
	});
});

describe('the published JWKS', () => {
	it('holds only public parts, with a kid URI, alg EdDSA and use sig', async () => {
		const key = await loadSigningKey({ dataDir: tempDir(), env: noEnv });
		const retiredJwk = await generateSigningJwk();
		const retired = await retiredPublicKeys([retiredJwk]);
		const site = 'https://learn.example.org/some/path';
		const jwks = publicJwks(site, key, retired);
		expect(jwksUrl(site)).toBe('https://learn.example.org/.well-known/jwks.json');
		expect(jwks.keys).toEqual([
			{
				kty: 'OKP',
				crv: 'Ed25519',
				x: key.publicJwk.x,
				kid: keyIdUri(site, key.kid),
				alg: 'EdDSA',
				use: 'sig'
			},
			{
				kty: 'OKP',
				crv: 'Ed25519',
				x: retiredJwk.x,
				kid: keyIdUri(site, retiredJwk.kid!),
				alg: 'EdDSA',
				use: 'sig'
			}
		]);
		// Each key at its own URL (OB 3.0 §8.2: the kid dereferences to a JWK).
		expect(jwks.keys[0]!.kid).toBe(`https://learn.example.org/keys/${key.kid}`);
		expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
	});

	it('reads retired public keys from DATA_DIR, dropping private parts', async () => {
		const dataDir = tempDir();
		expect(await loadRetiredPublicKeys(dataDir)).toEqual([]);
		const old = await generateSigningJwk();
		writeFileSync(path.join(dataDir, RETIRED_KEYS_FILE), JSON.stringify([old]));
		const retired = await loadRetiredPublicKeys(dataDir);
		expect(retired).toEqual([
			{ kid: old.kid, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: old.x } }
		]);
		writeFileSync(path.join(dataDir, RETIRED_KEYS_FILE), '{}');
		await expect(loadRetiredPublicKeys(dataDir)).rejects.toThrow(/JSON array/);
	});
});
