// The keys that sign certificate credentials: an RSA key for the VC-JWT (RS256, Open Badges 3.0
// §8.2's minimum algorithm) and an Ed25519 key for the embedded Data Integrity proof
// (eddsa-rdfc-2022). Credentials signed before RS256 (EdDSA VC-JWTs) keep verifying with the
// Ed25519 key, which stays published.
//
// Where each comes from, in this order:
// 1. An environment variable holding a private JWK as JSON: CERTIFICATE_RSA_SIGNING_KEY
//    ({"kty":"RSA","n":…,"e":…,"d":…,…}, 2048 bits or more) and CERTIFICATE_SIGNING_KEY
//    ({"kty":"OKP","crv":"Ed25519","x":…,"d":…}); "kid" optional. For installs with several app
//    instances, which must all sign with the same keys.
// 2. <DATA_DIR>/certificate-signing-key-rs256.json and <DATA_DIR>/certificate-signing-key.json:
//    generated on first use (mode 0600), then reused; creation is safe when several processes
//    start together. Back these files up with the database.
//
// The key id ("kid") is the RFC 7638 thumbprint of the public key unless one is given. Each key is
// published as a JWK at its own URL, <site>/keys/<kid>, and that URL is the kid in JWS headers, as
// Open Badges 3.0 §8.2 asks; the JWKS at /.well-known/jwks.json lists them all.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';

export const SIGNING_KEY_FILE = 'certificate-signing-key.json';
export const SIGNING_KEY_ENV = 'CERTIFICATE_SIGNING_KEY';
export const RSA_SIGNING_KEY_FILE = 'certificate-signing-key-rs256.json';
export const RSA_SIGNING_KEY_ENV = 'CERTIFICATE_RSA_SIGNING_KEY';
/** The path, on the issuer's origin, where the public keys are published. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Each key's own URL is KEYS_PATH/<kid>. */
export const KEYS_PATH = '/keys';
/** RSA keys shorter than this are refused (OB 3.0 §8.2: RSA 2048 at least). */
export const MIN_RSA_BITS = 2048;

export interface Ed25519PublicJwk {
	kty: 'OKP';
	crv: 'Ed25519';
	x: string;
}

export interface RsaPublicJwk {
	kty: 'RSA';
	n: string;
	e: string;
}

export type SigningPublicJwk = Ed25519PublicJwk | RsaPublicJwk;

/** The JOSE algorithm a key signs with: RS256 for RSA, EdDSA for Ed25519. */
export const algorithmOf = (jwk: SigningPublicJwk): 'RS256' | 'EdDSA' =>
	jwk.kty === 'RSA' ? 'RS256' : 'EdDSA';

export interface SigningKey<P extends SigningPublicJwk = Ed25519PublicJwk> {
	/** Short key id: the thumbprint, unless the configured JWK carried its own kid. */
	kid: string;
	/** Public part only, safe to publish. */
	publicJwk: P;
	/** For signing; never leaves the server. */
	privateKey: CryptoKey;
	/** The same private key as a JWK, for the embedded proof's library; never leaves the server. */
	privateJwk: JWK;
	/** Where the key came from, for the admin page and logs (never the key itself). */
	source: 'env' | 'file-created' | 'file';
}

export class SigningKeyError extends Error {
	override name = 'SigningKeyError';
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a JWK is an Ed25519 key (private when `needPrivate`); messages never echo key material. */
function readEd25519Jwk(value: unknown, needPrivate: boolean, where: string) {
	const jwk = asObject(value, where);
	if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519')
		throw new SigningKeyError(`${where} must be an Ed25519 key: "kty":"OKP", "crv":"Ed25519".`);
	// An Ed25519 key is 32 bytes: 43 base64url characters.
	if (typeof jwk.x !== 'string' || jwk.x.length !== 43 || !B64URL.test(jwk.x))
		throw new SigningKeyError(`${where} has no valid public part "x".`);
	if (needPrivate && (typeof jwk.d !== 'string' || jwk.d.length !== 43 || !B64URL.test(jwk.d)))
		throw new SigningKeyError(`${where} has no valid private part "d".`);
	return {
		publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } as Ed25519PublicJwk,
		kid: readKid(jwk, where)
	};
}

/** Checks a JWK is an RSA key of at least MIN_RSA_BITS (private when `needPrivate`). */
function readRsaJwk(value: unknown, needPrivate: boolean, where: string) {
	const jwk = asObject(value, where);
	if (jwk.kty !== 'RSA') throw new SigningKeyError(`${where} must be an RSA key: "kty":"RSA".`);
	if (typeof jwk.n !== 'string' || !B64URL.test(jwk.n) || typeof jwk.e !== 'string')
		throw new SigningKeyError(`${where} has no valid public part "n", "e".`);
	const bits = Buffer.from(jwk.n, 'base64url').length * 8;
	if (bits < MIN_RSA_BITS)
		throw new SigningKeyError(
			`${where} is an RSA key of ${bits} bits; certificates need ${MIN_RSA_BITS} bits or more.`
		);
	if (needPrivate)
		for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
			if (typeof jwk[part] !== 'string' || !B64URL.test(jwk[part]))
				throw new SigningKeyError(`${where} has no valid private part "${part}".`);
	return {
		publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e } as RsaPublicJwk,
		kid: readKid(jwk, where)
	};
}

function asObject(value: unknown, where: string): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new SigningKeyError(`${where} is not a JSON object (a JWK).`);
	return value as Record<string, unknown>;
}

function readKid(jwk: Record<string, unknown>, where: string): string | undefined {
	if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || !/^[\w.-]{1,100}$/.test(jwk.kid)))
		throw new SigningKeyError(
			`${where} has a "kid" that is not a short word (letters, digits, - . _).`
		);
	return jwk.kid;
}

/** Either kind of public key, for retired keys and published key sets. */
function readPublicJwk(value: unknown, where: string) {
	const kty = (value as { kty?: unknown } | null)?.kty;
	return kty === 'RSA' ? readRsaJwk(value, false, where) : readEd25519Jwk(value, false, where);
}

/** How each kind of key is configured, stored, generated and read. */
const KINDS = {
	Ed25519: {
		file: SIGNING_KEY_FILE,
		env: SIGNING_KEY_ENV,
		alg: 'EdDSA',
		read: readEd25519Jwk,
		generate: () => generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
	},
	RSA: {
		file: RSA_SIGNING_KEY_FILE,
		env: RSA_SIGNING_KEY_ENV,
		alg: 'RS256',
		read: readRsaJwk,
		generate: () =>
			generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS }).privateKey.export({
				format: 'jwk'
			})
	}
} as const;
type KeyKind = keyof typeof KINDS;
type PublicJwkOf<K extends KeyKind> = K extends 'RSA' ? RsaPublicJwk : Ed25519PublicJwk;

async function toSigningKey<K extends KeyKind>(
	kind: K,
	json: unknown,
	where: string,
	source: SigningKey['source']
): Promise<SigningKey<PublicJwkOf<K>>> {
	const { publicJwk, kid } = KINDS[kind].read(json, true, where);
	let privateKey: CryptoKey | Uint8Array;
	try {
		privateKey = await importJWK(
			{ ...(json as JWK), kid: undefined, alg: KINDS[kind].alg },
			KINDS[kind].alg
		);
	} catch {
		privateKey = new Uint8Array();
	}
	if (privateKey instanceof Uint8Array)
		throw new SigningKeyError(`${where} could not be read as an ${kind} private key.`);
	return {
		kid: kid ?? (await calculateJwkThumbprint(publicJwk)),
		publicJwk: publicJwk as PublicJwkOf<K>,
		privateKey,
		privateJwk: { ...(json as JWK), createdAt: undefined } as JWK,
		source
	};
}

function parseJson(text: string, where: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new SigningKeyError(`${where} is not valid JSON.`);
	}
}

/** A new private JWK of the kind (Ed25519 by default) with its thumbprint as kid. */
export async function generateSigningJwk(kind: KeyKind = 'Ed25519'): Promise<JWK> {
	const jwk = KINDS[kind].generate();
	const { publicJwk } = KINDS[kind].read(jwk, true, 'The generated key');
	return {
		...jwk,
		kid: await calculateJwkThumbprint(publicJwk),
		alg: KINDS[kind].alg,
		use: 'sig'
	};
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
async function createKeyFile(file: string, kind: KeyKind): Promise<boolean> {
	await fs.mkdir(path.dirname(file), { recursive: true });
	const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	const jwk = await generateSigningJwk(kind);
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
	/** The environment to read the key variables from; process.env by default. */
	env?: Record<string, string | undefined>;
}

async function loadKey<K extends KeyKind>(
	kind: K,
	options: LoadSigningKeyOptions
): Promise<SigningKey<PublicJwkOf<K>>> {
	const env = options.env ?? process.env;
	const { env: variable, file: fileName } = KINDS[kind];
	const fromEnv = env[variable]?.trim();
	if (fromEnv) {
		const where = `The ${variable} environment variable`;
		return toSigningKey(kind, parseJson(fromEnv, where), where, 'env');
	}
	const file = path.join(options.dataDir, fileName);
	let created = false;
	let text = await readKeyFile(file);
	if (text === null) {
		created = await createKeyFile(file, kind);
		text = await readKeyFile(file);
		if (text === null)
			throw new SigningKeyError(`The key file ${file} vanished after it was created.`);
	}
	const where = `The key file ${file}`;
	return toSigningKey(kind, parseJson(text, where), where, created ? 'file-created' : 'file');
}

/**
 * The Ed25519 key (the embedded proof; EdDSA JWTs issued before RS256): from
 * CERTIFICATE_SIGNING_KEY when set, else from its key file, created on first use. Throws
 * SigningKeyError with a plain message when the configured key is unusable (better than silently
 * signing with another key).
 */
export function loadSigningKey(options: LoadSigningKeyOptions) {
	return loadKey('Ed25519', options);
}

/** The RSA key the VC-JWT is signed with (RS256), as loadSigningKey does for Ed25519. */
export function loadRsaSigningKey(options: LoadSigningKeyOptions) {
	return loadKey('RSA', options);
}

const cache = new Map<string, Promise<SigningKey<SigningPublicJwk>>>();

function cached<K extends KeyKind>(
	kind: K,
	options: LoadSigningKeyOptions
): Promise<SigningKey<PublicJwkOf<K>>> {
	const env = options.env ?? process.env;
	const cacheKey = `${kind}\u0000${options.dataDir}\u0000${env[KINDS[kind].env] ?? ''}`;
	let promise = cache.get(cacheKey);
	if (!promise) {
		promise = loadKey(kind, options);
		promise.catch(() => cache.delete(cacheKey));
		cache.set(cacheKey, promise);
	}
	return promise as Promise<SigningKey<PublicJwkOf<K>>>;
}

/**
 * loadSigningKey, once per process and data folder (the app's entry point). A failed load is not
 * cached, so fixing the configuration and retrying works without a restart.
 */
export function signingKey(options: LoadSigningKeyOptions) {
	return cached('Ed25519', options);
}

/** loadRsaSigningKey, once per process and data folder. */
export function rsaSigningKey(options: LoadSigningKeyOptions) {
	return cached('RSA', options);
}

/** The JWKS URL of an issuer whose site is `siteUrl` (its origin; any path is ignored). */
export function jwksUrl(siteUrl: string): string {
	return new URL(JWKS_PATH, siteUrl).href;
}

/** The URL of one key, where it is served as a JWK. */
export function keyUrl(siteUrl: string, kid: string): string {
	return new URL(`${KEYS_PATH}/${encodeURIComponent(kid)}`, siteUrl).href;
}

/** The kid written in JWS headers and in the JWKS: the key's own URL, which answers its JWK. */
export function keyIdUri(siteUrl: string, kid: string): string {
	return keyUrl(siteUrl, kid);
}

/**
 * The short key id in a kid URI: after '#' (how credentials issued before RS256 named their key,
 * <site>/.well-known/jwks.json#<kid>), after the last '/' of a key URL, or the kid itself.
 */
export function shortKeyId(kid: string): string {
	const hash = kid.lastIndexOf('#');
	if (hash !== -1) return kid.slice(hash + 1);
	const keys = kid.lastIndexOf(`${KEYS_PATH}/`);
	return keys === -1 ? kid : decodeURIComponent(kid.slice(keys + KEYS_PATH.length + 1));
}

export type PublicJwk = (Ed25519PublicJwk | RsaPublicJwk) & {
	kid: string;
	alg: 'EdDSA' | 'RS256';
	use: 'sig';
};

export interface Jwks {
	keys: PublicJwk[];
}

type PublishedKey = Pick<SigningKey<SigningPublicJwk>, 'kid' | 'publicJwk'>;

/** One key as published: its public JWK with the kid URI, alg and use. */
export function publicJwk(siteUrl: string, { kid, publicJwk }: PublishedKey): PublicJwk {
	return {
		...publicJwk,
		kid: keyIdUri(siteUrl, kid),
		alg: algorithmOf(publicJwk),
		use: 'sig'
	};
}

/**
 * The JWKS to publish at <site>/.well-known/jwks.json: the public part of the signing keys, and of
 * any retired keys whose credentials must still verify. Each key's kid is its own URL.
 */
export function publicJwks(
	siteUrl: string,
	current: PublishedKey | PublishedKey[],
	retired: PublishedKey[] = []
): Jwks {
	return {
		keys: [...(Array.isArray(current) ? current : [current]), ...retired].map((k) =>
			publicJwk(siteUrl, k)
		)
	};
}

/**
 * Public keys retired from signing, e.g. from a JSON file the operator keeps after a key change:
 * [{"kty":"OKP","crv":"Ed25519","x":"…","kid":"…"}, {"kty":"RSA","n":"…","e":"AQAB"}, …].
 * Private parts, if present, are dropped.
 */
export async function retiredPublicKeys(json: unknown): Promise<PublishedKey[]> {
	if (!Array.isArray(json)) throw new SigningKeyError('Retired keys must be a JSON array of JWKs.');
	return Promise.all(
		json.map(async (item, i) => {
			const { publicJwk, kid } = readPublicJwk(item, `Retired key ${i + 1}`);
			return { publicJwk, kid: kid ?? (await calculateJwkThumbprint(publicJwk)) };
		})
	);
}

export const RETIRED_KEYS_FILE = 'certificate-retired-keys.json';

/**
 * The retired public keys of this install, from <DATA_DIR>/certificate-retired-keys.json when it
 * exists (a JSON array of JWKs); none otherwise. After changing a signing key, put the old key's
 * public part there so credentials signed with it still verify.
 */
export async function loadRetiredPublicKeys(dataDir: string): Promise<PublishedKey[]> {
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
