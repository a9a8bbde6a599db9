// The Ed25519 key that signs certificate credentials.
//
// Where it comes from, in this order:
// 1. CERTIFICATE_SIGNING_KEY: a private JWK as JSON ({"kty":"OKP","crv":"Ed25519","x":…,"d":…},
//    "kid" optional). For installs with several app instances, which must all sign with one key.
// 2. <DATA_DIR>/certificate-signing-key.json: generated on first use (mode 0600), then reused.
//    Back this file up with the database: without it, new certificates get a new key, and the old
//    public key must stay published (see retiredPublicKeys) for old credentials to verify.
//
// The key id ("kid") is the RFC 7638 thumbprint of the public key unless one is given. In the JWS
// header and in the published JWKS the kid is written as a URI that dereferences to the key, as
// Open Badges 3.0 §8.2 asks: <site>/.well-known/jwks.json#<thumbprint>.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';

export const SIGNING_KEY_FILE = 'certificate-signing-key.json';
export const SIGNING_KEY_ENV = 'CERTIFICATE_SIGNING_KEY';
/** The path, on the issuer's origin, where the public keys are published. */
export const JWKS_PATH = '/.well-known/jwks.json';

export interface Ed25519PublicJwk {
	kty: 'OKP';
	crv: 'Ed25519';
	x: string;
}

export interface SigningKey {
	/** Short key id: the thumbprint, unless the configured JWK carried its own kid. */
	kid: string;
	/** Public part only, safe to publish. */
	publicJwk: Ed25519PublicJwk;
	/** For signing; never leaves the server. */
	privateKey: CryptoKey;
	/** Where the key came from, for the admin page and logs (never the key itself). */
	source: 'env' | 'file-created' | 'file';
}

export class SigningKeyError extends Error {
	override name = 'SigningKeyError';
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a JWK is an Ed25519 key (private when `needPrivate`); messages never echo key material. */
function readEd25519Jwk(value: unknown, needPrivate: boolean, where: string) {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new SigningKeyError(`${where} is not a JSON object (a JWK).`);
	const jwk = value as Record<string, unknown>;
	if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519')
		throw new SigningKeyError(`${where} must be an Ed25519 key: "kty":"OKP", "crv":"Ed25519".`);
	// An Ed25519 key is 32 bytes: 43 base64url characters.
	if (typeof jwk.x !== 'string' || jwk.x.length !== 43 || !B64URL.test(jwk.x))
		throw new SigningKeyError(`${where} has no valid public part "x".`);
	if (needPrivate && (typeof jwk.d !== 'string' || jwk.d.length !== 43 || !B64URL.test(jwk.d)))
		throw new SigningKeyError(`${where} has no valid private part "d".`);
	if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || !/^[\w.-]{1,100}$/.test(jwk.kid)))
		throw new SigningKeyError(
			`${where} has a "kid" that is not a short word (letters, digits, - . _).`
		);
	return {
		publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } as Ed25519PublicJwk,
		d: jwk.d as string | undefined,
		kid: jwk.kid
	};
}

async function toSigningKey(json: unknown, where: string, source: SigningKey['source']) {
	const { publicJwk, d, kid } = readEd25519Jwk(json, true, where);
	let privateKey: CryptoKey | Uint8Array;
	try {
		privateKey = await importJWK({ ...publicJwk, d, alg: 'EdDSA' }, 'EdDSA');
	} catch {
		privateKey = new Uint8Array();
	}
	if (privateKey instanceof Uint8Array)
		throw new SigningKeyError(`${where} could not be read as an Ed25519 private key.`);
	return {
		kid: kid ?? (await calculateJwkThumbprint(publicJwk)),
		publicJwk,
		privateKey,
		source
	} satisfies SigningKey;
}

function parseJson(text: string, where: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new SigningKeyError(`${where} is not valid JSON.`);
	}
}

/** A new Ed25519 private JWK with its thumbprint as kid (what the key file holds). */
export async function generateSigningJwk(): Promise<JWK> {
	const { privateKey } = generateKeyPairSync('ed25519');
	const jwk = privateKey.export({ format: 'jwk' });
	const { publicJwk } = readEd25519Jwk(jwk, true, 'The generated key');
	return { ...jwk, kid: await calculateJwkThumbprint(publicJwk), alg: 'EdDSA', use: 'sig' };
}

async function readKeyFile(file: string): Promise<string | null> {
	try {
		const stat = await fs.stat(file);
		// Someone loosened the permissions (a copy, a restore): tighten them back.
		if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) await fs.chmod(file, 0o600);
		return await fs.readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
}

/**
 * Writes the new key under a temporary name, then links it into place: link() fails if the file
 * exists, so two processes starting together never both write, and a reader never sees half a file.
 */
async function createKeyFile(file: string): Promise<boolean> {
	await fs.mkdir(path.dirname(file), { recursive: true });
	const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	const jwk = await generateSigningJwk();
	await fs.writeFile(
		temp,
		JSON.stringify({ ...jwk, createdAt: new Date().toISOString() }, null, '\t') + '\n',
		{ mode: 0o600, flag: 'wx' }
	);
	try {
		await fs.link(temp, file);
		return true;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw e;
	} finally {
		await fs.rm(temp, { force: true });
	}
}

export interface LoadSigningKeyOptions {
	/** The folder for the key file (the app passes dataDir()). */
	dataDir: string;
	/** The environment to read CERTIFICATE_SIGNING_KEY from; process.env by default. */
	env?: Record<string, string | undefined>;
}

/**
 * The signing key: from CERTIFICATE_SIGNING_KEY when set, else from the key file, which is created
 * on first use. Throws SigningKeyError with a plain message when the configured key is unusable
 * (better than silently signing with another key).
 */
export async function loadSigningKey(options: LoadSigningKeyOptions): Promise<SigningKey> {
	const env = options.env ?? process.env;
	const fromEnv = env[SIGNING_KEY_ENV]?.trim();
	if (fromEnv) {
		const where = `The ${SIGNING_KEY_ENV} environment variable`;
		return toSigningKey(parseJson(fromEnv, where), where, 'env');
	}
	const file = path.join(options.dataDir, SIGNING_KEY_FILE);
	let created = false;
	let text = await readKeyFile(file);
	if (text === null) {
		created = await createKeyFile(file);
		text = await readKeyFile(file);
		if (text === null)
			throw new SigningKeyError(`The key file ${file} vanished after it was created.`);
	}
	const where = `The key file ${file}`;
	return toSigningKey(parseJson(text, where), where, created ? 'file-created' : 'file');
}

const cache = new Map<string, Promise<SigningKey>>();

/**
 * loadSigningKey, once per process and data folder (the app's entry point). A failed load is not
 * cached, so fixing the configuration and retrying works without a restart.
 */
export function signingKey(options: LoadSigningKeyOptions): Promise<SigningKey> {
	const env = options.env ?? process.env;
	const cacheKey = `${options.dataDir}\u0000${env[SIGNING_KEY_ENV] ?? ''}`;
	let promise = cache.get(cacheKey);
	if (!promise) {
		promise = loadSigningKey(options);
		promise.catch(() => cache.delete(cacheKey));
		cache.set(cacheKey, promise);
	}
	return promise;
}

/** The JWKS URL of an issuer whose site is `siteUrl` (its origin; any path is ignored). */
export function jwksUrl(siteUrl: string): string {
	return new URL(JWKS_PATH, siteUrl).href;
}

/** The kid written in JWS headers and in the JWKS: a URI that dereferences to the key. */
export function keyIdUri(siteUrl: string, kid: string): string {
	return `${jwksUrl(siteUrl)}#${kid}`;
}

/** The part of a kid URI after '#', or the kid itself when it has none. */
export function shortKeyId(kid: string): string {
	const hash = kid.lastIndexOf('#');
	return hash === -1 ? kid : kid.slice(hash + 1);
}

export interface PublicJwk extends Ed25519PublicJwk {
	kid: string;
	alg: 'EdDSA';
	use: 'sig';
}

export interface Jwks {
	keys: PublicJwk[];
}

/**
 * The JWKS to publish at <site>/.well-known/jwks.json: the public part of the signing key, and of
 * any retired keys whose credentials must still verify. Each key's kid is its kid URI.
 */
export function publicJwks(
	siteUrl: string,
	current: Pick<SigningKey, 'kid' | 'publicJwk'>,
	retired: Pick<SigningKey, 'kid' | 'publicJwk'>[] = []
): Jwks {
	return {
		keys: [current, ...retired].map(({ kid, publicJwk }) => ({
			kty: 'OKP',
			crv: 'Ed25519',
			x: publicJwk.x,
			kid: keyIdUri(siteUrl, kid),
			alg: 'EdDSA',
			use: 'sig'
		}))
	};
}

/**
 * Public keys retired from signing, e.g. from a JSON file the operator keeps after a key change:
 * [{"kty":"OKP","crv":"Ed25519","x":"…","kid":"…"}, …]. Private parts, if present, are dropped.
 */
export async function retiredPublicKeys(
	json: unknown
): Promise<Pick<SigningKey, 'kid' | 'publicJwk'>[]> {
	if (!Array.isArray(json)) throw new SigningKeyError('Retired keys must be a JSON array of JWKs.');
	return Promise.all(
		json.map(async (item, i) => {
			const { publicJwk, kid } = readEd25519Jwk(item, false, `Retired key ${i + 1}`);
			return { publicJwk, kid: kid ?? (await calculateJwkThumbprint(publicJwk)) };
		})
	);
}

export const RETIRED_KEYS_FILE = 'certificate-retired-keys.json';

/**
 * The retired public keys of this install, from <DATA_DIR>/certificate-retired-keys.json when it
 * exists (a JSON array of JWKs); none otherwise. After changing the signing key, put the old key's
 * public part there so credentials signed with it still verify.
 */
export async function loadRetiredPublicKeys(
	dataDir: string
): Promise<Pick<SigningKey, 'kid' | 'publicJwk'>[]> {
	const file = path.join(dataDir, RETIRED_KEYS_FILE);
	let text: string;
	try {
		text = await fs.readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw e;
	}
	return retiredPublicKeys(parseJson(text, `The retired keys file ${file}`));
}

/** Whether a JWKS document is shaped like one (for keys read from a file or URL). */
export function isJwks(value: unknown): value is { keys: JWK[] } {
	return (
		typeof value === 'object' &&
		value !== null &&
		Array.isArray((value as { keys?: unknown }).keys) &&
		(value as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null)
	);
}
