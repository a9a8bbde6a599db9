// The certificate as an Open Badges 3.0 credential (an OpenBadgeCredential, alias
// AchievementCredential, in the W3C Verifiable Credentials 2.0 data model), secured as a VC-JWT:
// a compact JWS signed with EdDSA (Ed25519), following OB 3.0 §8.2 "JSON Web Token Proof Format":
//
// - JOSE header: {"alg":"EdDSA","kid":"<site>/.well-known/jwks.json#<thumbprint>","typ":"JWT"}.
//   OB 3.0 allows only alg, kid, jwk and typ, and typ "JWT" if present (not "vc+jwt").
// - JWT payload: the credential itself (VCDM 2.0 style, no "vc" wrapper) plus the registered
//   claims iss = issuer.id, jti = id, sub = credentialSubject.id, nbf = validFrom and, only when
//   the credential has a validUntil, exp = validUntil. No iat: §8.2 does not map it.
//
// Pure functions: no database, no SvelteKit. URLs are built from the site's public URL (ORIGIN).
import { createHash, randomBytes } from 'node:crypto';
import {
	compactVerify,
	decodeProtectedHeader,
	errors as joseErrors,
	importJWK,
	SignJWT,
	type JWK,
	type ProtectedHeaderParameters
} from 'jose';
import { isVerificationCode } from './codes';
import {
	algorithmOf,
	isJwks,
	keyIdUri,
	shortKeyId,
	type SigningKey,
	type SigningPublicJwk
} from './keys';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';
const OB_CONTEXT_PATTERN =
	/^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$/;

/**
 * The credential status method: W3C Bitstring Status List v1.0. Each certificate has an index in a
 * public, signed status list (a BitstringStatusListCredential at statusListCredential); its bit is
 * set when the certificate is revoked. Credentials issued before this named a plain endpoint
 * (type CertificateStatusEndpoint, LEGACY_STATUS_TYPE) that still answers.
 */
export const STATUS_TYPE = 'BitstringStatusListEntry';
export const LEGACY_STATUS_TYPE = 'CertificateStatusEndpoint';
/** Entries per status list: 131,072 bits, 16 KB, the spec's minimum for herd privacy. */
export const STATUS_LIST_LENGTH = 131_072;

/** Public paths of the certificate pages and documents. One place, so routes and documents agree. */
export const CERTIFICATE_PATHS = {
	/** Human-readable verification page; also the credential's id. */
	verification: (code: string) => `/verify/${code}`,
	/** JSON StatusDocument; the credential's credentialStatus.id. */
	status: (code: string) => `/verify/${code}/status`,
	/** The issuer's OB 3.0 Profile as JSON; the credential's issuer.id. */
	issuerProfile: '/issuer',
	/** A status list credential (BitstringStatusListCredential), numbered from 1. */
	statusList: (list: number) => `/status-lists/${list}`,
	/** The course page; with ?version= it is the Achievement's id. */
	course: (courseSlug: string) => `/courses/${encodeURIComponent(courseSlug)}`
} as const;

export interface CertificateUrls {
	verificationUrl: string;
	statusUrl: string;
	issuerProfileUrl: string;
}

/** The public URLs of one certificate on the site at `siteUrl` (only its origin is used). */
export function certificateUrls(siteUrl: string, code: string): CertificateUrls {
	if (!isVerificationCode(code)) throw new TypeError('Not a verification code.');
	return {
		verificationUrl: new URL(CERTIFICATE_PATHS.verification(code), siteUrl).href,
		statusUrl: new URL(CERTIFICATE_PATHS.status(code), siteUrl).href,
		issuerProfileUrl: new URL(CERTIFICATE_PATHS.issuerProfile, siteUrl).href
	};
}

/** The verification code in a credential id (verification URL) of the site, or null. */
export function codeFromVerificationUrl(url: string, siteUrl: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return null;
	}
	if (parsed.origin !== new URL(siteUrl).origin || parsed.search || parsed.hash) return null;
	const match = /^\/verify\/([^/]+)$/.exec(parsed.pathname);
	return match && isVerificationCode(match[1]) ? match[1] : null;
}

// ---------------------------------------------------------------------------------------------
// The document

export interface IssuerInput {
	/** Site name, e.g. "Stride Academy". */
	name: string;
	/** Home page; the site's URL by default. */
	url?: string;
	description?: string;
	email?: string;
}

export interface CredentialInput {
	/** The site's public URL (ORIGIN). */
	siteUrl: string;
	issuer: IssuerInput;
	verificationCode: string;
	holder: {
		/** The name as set for certificates. */
		name: string;
		/**
		 * A URI for the holder in this credential (becomes credentialSubject.id and `sub`). By
		 * default an opaque urn:uuid derived from the credential id: stable across re-issues of the
		 * same certificate, and it says nothing about the account.
		 */
		id?: string;
		/** When given, added as a salted SHA-256 IdentityObject, so a verifier who knows it can check. */
		email?: string;
	};
	course: {
		slug: string;
		title: string;
		version: number | string;
		/** Short description of the course (the course summary). */
		description: string;
		/** What earning it takes, in Markdown; a sentence built from passPercent by default. */
		criteria?: string;
		estimatedMinutes?: number;
		/** BCP 47 language of the course, e.g. "en". */
		language?: string;
	};
	/** The final exam's score, 0–100, and the pass mark. */
	result: { scorePercent: number; passPercent?: number };
	/** When the learner completed the course: awardedDate and the subject's activityEndDate. */
	completedAt: Date;
	/** When this document was issued: validFrom (and nbf). A re-issue gets a new one. */
	issuedAt: Date;
	/** The certificate's index across the status lists (0, 1, …): its revocation bit. */
	statusListIndex: number;
	/** Certificates do not expire by default. */
	validUntil?: Date;
}

export interface IdentityObject {
	type: 'IdentityObject';
	identityType: string;
	hashed: boolean;
	identityHash: string;
	salt?: string;
}

export interface OpenBadgeCredential {
	'@context': string[];
	id: string;
	type: string[];
	name: string;
	description: string;
	issuer: {
		id: string;
		type: string[];
		name: string;
		url: string;
		description?: string;
		email?: string;
	};
	validFrom: string;
	validUntil?: string;
	awardedDate: string;
	credentialSubject: {
		id: string;
		type: string[];
		identifier: IdentityObject[];
		activityEndDate: string;
		achievement: {
			id: string;
			type: string[];
			achievementType: string;
			name: string;
			description: string;
			criteria: { id: string; narrative: string };
			version: string;
			inLanguage?: string;
			resultDescription: {
				id: string;
				type: string[];
				name: string;
				resultType: string;
				valueMin: string;
				valueMax: string;
				requiredValue?: string;
			}[];
		};
		result: { type: string[]; resultDescription: string; value: string }[];
	};
	credentialStatus: StatusListEntry;
}

export interface StatusListEntry {
	id: string;
	type: typeof STATUS_TYPE;
	statusPurpose: 'revocation';
	statusListIndex: string;
	statusListCredential: string;
}

/** Where the bit of the certificate with `index` lives: its list's URL and the bit's position. */
export function statusListEntry(siteUrl: string, index: number): StatusListEntry {
	if (!Number.isSafeInteger(index) || index < 0)
		throw new RangeError('A status list index is a whole number, 0 or more.');
	const list = Math.floor(index / STATUS_LIST_LENGTH) + 1;
	const bit = index % STATUS_LIST_LENGTH;
	const listUrl = new URL(CERTIFICATE_PATHS.statusList(list), siteUrl).href;
	return {
		id: `${listUrl}#${bit}`,
		type: STATUS_TYPE,
		statusPurpose: 'revocation',
		statusListIndex: String(bit),
		statusListCredential: listUrl
	};
}

/** RFC 3339 without fractions of a second, so validFrom equals nbf exactly (OB 3.0 §8.2). */
function dateTime(date: Date): string {
	if (Number.isNaN(date.getTime())) throw new TypeError('Invalid date.');
	return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function seconds(date: Date): number {
	return Math.floor(date.getTime() / 1000);
}

/** A score as a short decimal string: 92, 91.5, 66.67. */
export function formatScore(percent: number): string {
	if (!Number.isFinite(percent) || percent < 0 || percent > 100)
		throw new RangeError('A score must be between 0 and 100.');
	return String(Math.round(percent * 100) / 100);
}

function uuidFrom(text: string): string {
	const h = createHash('sha256').update(text).digest();
	h[6] = (h[6]! & 0x0f) | 0x80; // version 8: custom (RFC 9562)
	h[8] = (h[8]! & 0x3f) | 0x80;
	const hex = h.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Achievement's id: the course page at this version. */
export function achievementId(
	siteUrl: string,
	courseSlug: string,
	version: number | string
): string {
	const url = new URL(CERTIFICATE_PATHS.course(courseSlug), siteUrl);
	url.searchParams.set('version', String(version));
	return url.href;
}

/**
 * `assertionMethod` is not a term of the VC 2.0 or OB 3.0 contexts; this inline context names it
 * as in the W3C Controlled Identifiers vocabulary, so the profile expands without dropping it.
 */
export const ASSERTION_METHOD_CONTEXT = {
	assertionMethod: {
		'@id': 'https://w3id.org/security#assertionMethod',
		'@type': '@id',
		'@container': '@set'
	}
};

/**
 * The issuer's OB 3.0 Profile, to serve as JSON at its id (CERTIFICATE_PATHS.issuerProfile). With
 * `assertionMethod` (the URLs of the keys that sign embedded proofs) it is also the controller
 * document a Data Integrity verifier reads.
 */
export function issuerProfile(siteUrl: string, issuer: IssuerInput, assertionMethod?: string[]) {
	const id = new URL(CERTIFICATE_PATHS.issuerProfile, siteUrl).href;
	return {
		'@context': assertionMethod
			? [VC_CONTEXT_V2, OB_CONTEXT, ASSERTION_METHOD_CONTEXT]
			: [VC_CONTEXT_V2, OB_CONTEXT],
		id,
		type: ['Profile'],
		name: issuer.name,
		url: issuer.url ?? new URL('/', siteUrl).href,
		...(issuer.description ? { description: issuer.description } : {}),
		...(issuer.email ? { email: issuer.email } : {}),
		...(assertionMethod ? { assertionMethod } : {})
	};
}

/** Builds the (unsigned) credential. Throws TypeError/RangeError on input that cannot be right. */
export function buildCredential(input: CredentialInput): OpenBadgeCredential {
	const { siteUrl, course } = input;
	const holderName = input.holder.name.normalize('NFC').trim();
	if (!holderName) throw new TypeError('The holder needs a name.');
	const urls = certificateUrls(siteUrl, input.verificationCode);
	const profile = issuerProfile(siteUrl, input.issuer);
	const achievement = achievementId(siteUrl, course.slug, course.version);
	const resultDescriptionId = `urn:uuid:${uuidFrom(`${achievement} final exam`)}`;
	const passPercent = input.result.passPercent;
	const criteria =
		course.criteria ??
		'Complete every lesson, pass every module quiz and pass the final exam' +
			(passPercent !== undefined ? ` with at least ${formatScore(passPercent)}%.` : '.');

	const identifier: IdentityObject[] = [
		{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: holderName }
	];
	if (input.holder.email) {
		const salt = randomBytes(16).toString('hex');
		const email = input.holder.email.trim().toLowerCase();
		identifier.push({
			type: 'IdentityObject',
			identityType: 'emailAddress',
			hashed: true,
			identityHash:
				'sha256$' +
				createHash('sha256')
					.update(email + salt, 'utf8')
					.digest('hex'),
			salt
		});
	}

	return {
		'@context': [VC_CONTEXT_V2, OB_CONTEXT],
		id: urls.verificationUrl,
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		name: `Certificate of completion: ${course.title}`,
		description: `${holderName} completed the course “${course.title}” (version ${course.version}) and passed its final exam.`,
		issuer: {
			id: profile.id,
			type: profile.type,
			name: profile.name,
			url: profile.url,
			...(profile.description ? { description: profile.description } : {}),
			...(profile.email ? { email: profile.email } : {})
		},
		validFrom: dateTime(input.issuedAt),
		...(input.validUntil ? { validUntil: dateTime(input.validUntil) } : {}),
		awardedDate: dateTime(input.completedAt),
		credentialSubject: {
			id: input.holder.id ?? `urn:uuid:${uuidFrom(urls.verificationUrl)}`,
			type: ['AchievementSubject'],
			identifier,
			activityEndDate: dateTime(input.completedAt),
			achievement: {
				id: achievement,
				type: ['Achievement'],
				achievementType: 'CertificateOfCompletion',
				name: course.title,
				description: course.description,
				criteria: {
					id: new URL(CERTIFICATE_PATHS.course(course.slug), siteUrl).href,
					narrative: criteria
				},
				version: String(course.version),
				...(course.language ? { inLanguage: course.language } : {}),
				resultDescription: [
					{
						id: resultDescriptionId,
						type: ['ResultDescription'],
						name: 'Final exam score',
						resultType: 'Percent',
						valueMin: '0',
						valueMax: '100',
						...(passPercent !== undefined ? { requiredValue: formatScore(passPercent) } : {})
					}
				]
			},
			result: [
				{
					type: ['Result'],
					resultDescription: resultDescriptionId,
					value: formatScore(input.result.scorePercent)
				}
			]
		},
		credentialStatus: statusListEntry(siteUrl, input.statusListIndex)
	};
}

type JwtKey = Pick<SigningKey<SigningPublicJwk>, 'kid' | 'privateKey' | 'publicJwk'>;

/** Signs a credential as a VC-JWT (compact JWS) with the site's key: RS256 for an RSA key. */
export async function signCredential(
	credential: OpenBadgeCredential,
	key: JwtKey,
	siteUrl: string
): Promise<string> {
	const jwt = new SignJWT({ ...credential })
		.setProtectedHeader({
			alg: algorithmOf(key.publicJwk),
			kid: keyIdUri(siteUrl, key.kid),
			typ: 'JWT'
		})
		.setIssuer(credential.issuer.id)
		.setJti(credential.id)
		.setSubject(credential.credentialSubject.id)
		.setNotBefore(seconds(new Date(credential.validFrom)));
	if (credential.validUntil) jwt.setExpirationTime(seconds(new Date(credential.validUntil)));
	return jwt.sign(key.privateKey);
}

/** buildCredential and signCredential in one step. */
export async function issueCredential(
	input: CredentialInput,
	key: JwtKey
): Promise<{ credential: OpenBadgeCredential; jwt: string }> {
	const credential = buildCredential(input);
	return { credential, jwt: await signCredential(credential, key, input.siteUrl) };
}

// ---------------------------------------------------------------------------------------------
// Verification

/** Credentials larger than this are refused before any parsing. Ours are about 3 KB. */
export const MAX_CREDENTIAL_LENGTH = 64 * 1024;

export type VerifyFailureReason =
	| 'malformed'
	| 'unsupported-algorithm'
	| 'bad-header'
	| 'unknown-key'
	| 'bad-signature'
	| 'not-a-credential'
	| 'claims-mismatch'
	| 'wrong-issuer'
	| 'not-yet-valid'
	| 'expired';

export type VerifyResult =
	| {
			ok: true;
			credential: Record<string, unknown>;
			payload: Record<string, unknown>;
			header: ProtectedHeaderParameters;
	  }
	| {
			ok: false;
			reason: VerifyFailureReason;
			/** One or two plain sentences for the verification page and the CLI. */
			message: string;
			/**
			 * Present when the signature was valid but the credential still fails (expired, wrong
			 * issuer, …), so the page can show what it says.
			 */
			credential?: Record<string, unknown>;
	  };

export interface VerifyOptions {
	/** The time to check validity at; now by default. */
	now?: Date;
	/** When set, a credential from another issuer (issuer.id) fails with 'wrong-issuer'. */
	expectedIssuerId?: string;
	/** Allowed clock difference for validFrom and validUntil, in seconds (default 60). */
	clockToleranceSeconds?: number;
}

const JWT_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function fail(
	reason: VerifyFailureReason,
	message: string,
	credential?: Record<string, unknown>
): VerifyResult {
	return { ok: false, reason, message, ...(credential ? { credential } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function idOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (isObject(value) && typeof value.id === 'string') return value.id;
	return undefined;
}

function parseTime(value: unknown): number | null {
	if (typeof value !== 'string') return null;
	const t = Date.parse(value);
	return Number.isNaN(t) ? null : t;
}

/** The JOSE algorithms a certificate may be signed with, and the key type each needs. */
const ALGORITHMS = { RS256: 'RSA', EdDSA: 'OKP' } as const;
type Algorithm = keyof typeof ALGORITHMS;
/** OB 3.0 §8.2.3: the only header parameters a VC-JWT may carry. */
const ALLOWED_HEADER = new Set(['alg', 'kid', 'jwk', 'typ']);

/** Whether `jwk` is a key for `alg` named by a JWS header kid (full kid URI or its short form). */
function keyMatches(jwk: JWK, alg: Algorithm, kid: string | undefined): boolean {
	if (jwk.kty !== ALGORITHMS[alg]) return false;
	if (jwk.kty === 'OKP' && (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')) return false;
	if (jwk.kty === 'RSA' && (typeof jwk.n !== 'string' || typeof jwk.e !== 'string')) return false;
	if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'EdDSA' && jwk.alg === 'Ed25519'))
		return false;
	if (jwk.use !== undefined && jwk.use !== 'sig') return false;
	if (kid === undefined) return true;
	return (
		typeof jwk.kid === 'string' && (jwk.kid === kid || shortKeyId(jwk.kid) === shortKeyId(kid))
	);
}

/** The public part of a published key, so nothing else in the JWK can change how it is used. */
function publicPart(jwk: JWK): JWK {
	return jwk.kty === 'RSA'
		? { kty: 'RSA', n: jwk.n, e: jwk.e }
		: { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/**
 * Verifies a VC-JWT against a JWKS (the issuer's published keys), then checks it is an Open Badges
 * credential whose JWT claims agree with its contents (OB 3.0 §8.2.4.1) and that it is valid now.
 * Strict about the JOSE header, as OB 3.0 §8.2.3 is: alg RS256 (or EdDSA, for credentials issued
 * before RS256), typ "JWT" when present, and no parameter other than alg, kid, jwk and typ.
 * Never throws for bad input; throws TypeError only when `jwks` is not a JWKS.
 * Revocation is not checked here: that needs the status list or the database.
 */
export async function verifyCredential(
	jwt: string,
	jwks: unknown,
	options: VerifyOptions = {}
): Promise<VerifyResult> {
	if (!isJwks(jwks)) throw new TypeError('The keys to verify with are not a JWKS ({"keys":[…]}).');
	const token = typeof jwt === 'string' ? jwt.trim() : '';
	if (token.length > MAX_CREDENTIAL_LENGTH)
		return fail(
			'malformed',
			'This is far larger than any certificate credential; it was not checked.'
		);
	if (!COMPACT_JWS.test(token))
		return fail(
			'malformed',
			'This is not a signed credential. A credential is one long line of letters and digits in three parts separated by dots.'
		);

	let header: ProtectedHeaderParameters;
	try {
		header = decodeProtectedHeader(token);
	} catch {
		return fail('malformed', 'The credential is damaged: its header cannot be read.');
	}
	const alg = header.alg === 'Ed25519' ? 'EdDSA' : header.alg;
	if (alg !== 'RS256' && alg !== 'EdDSA')
		return fail(
			'unsupported-algorithm',
			`The credential is signed with ${typeof header.alg === 'string' ? `"${header.alg}"` : 'no named method'}, not with the RS256 (or Ed25519) signatures this issuer uses.`
		);
	const extra = Object.keys(header).filter((name) => !ALLOWED_HEADER.has(name));
	if (extra.length)
		return fail(
			'bad-header',
			`The credential's header carries ${extra.map((n) => `"${n}"`).join(', ')}, which an Open Badges credential may not (only alg, kid, jwk and typ).`
		);
	if (header.typ !== undefined && header.typ !== 'JWT')
		return fail(
			'bad-header',
			`The credential's header says typ ${JSON.stringify(header.typ)}; an Open Badges credential says "JWT".`
		);

	const kid = typeof header.kid === 'string' ? header.kid : undefined;
	const candidates = jwks.keys.filter((k) => keyMatches(k, alg, kid));
	if (candidates.length === 0)
		return fail(
			'unknown-key',
			'The credential was signed with a key this issuer does not publish. It was not issued here, or was signed with a key that has been withdrawn.'
		);

	let payloadBytes: Uint8Array | undefined;
	let badSignature = false;
	for (const jwk of candidates) {
		try {
			const key = await importJWK(publicPart(jwk), alg);
			payloadBytes = (await compactVerify(token, key, { algorithms: [alg, 'Ed25519'] })).payload;
			break;
		} catch (e) {
			if (e instanceof joseErrors.JWSSignatureVerificationFailed) badSignature = true;
			else if (e instanceof joseErrors.JOSEError)
				return fail('malformed', 'The credential is damaged and cannot be checked.');
			else badSignature = true; // a key that cannot be imported cannot have signed it
		}
	}
	if (!payloadBytes)
		return fail(
			badSignature ? 'bad-signature' : 'malformed',
			'The signature does not match the content: the credential was changed after it was issued, or it was not signed by this issuer.'
		);

	let payload: unknown;
	try {
		payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
	} catch {
		return fail('not-a-credential', 'The signed content is not a credential (it is not JSON).');
	}
	if (!isObject(payload))
		return fail('not-a-credential', 'The signed content is not a credential.');

	// VCDM 1.1 VC-JWTs keep the credential under "vc"; OB 3.0 verifiers accept both. Otherwise the
	// payload is the credential with the JWT's registered claims added: take those off.
	let credential: Record<string, unknown>;
	if (isObject(payload.vc) && !('@context' in payload)) credential = payload.vc;
	else {
		credential = { ...payload };
		for (const claim of JWT_CLAIMS) delete credential[claim];
	}
	const contexts = asArray(credential['@context']);
	const types = asArray(credential.type);
	const subject = credential.credentialSubject;
	const issuerId = idOf(credential.issuer);
	if (
		(contexts[0] !== VC_CONTEXT_V2 && contexts[0] !== VC_CONTEXT_V1) ||
		!contexts.some((c) => typeof c === 'string' && OB_CONTEXT_PATTERN.test(c)) ||
		!types.includes('VerifiableCredential') ||
		!(types.includes('OpenBadgeCredential') || types.includes('AchievementCredential')) ||
		typeof credential.id !== 'string' ||
		!issuerId ||
		!isObject(subject) ||
		!isObject(subject.achievement)
	)
		return fail(
			'not-a-credential',
			'The signature is valid, but the signed content is not an Open Badges certificate.'
		);

	const validFrom = parseTime(credential.validFrom ?? credential.issuanceDate);
	const validUntilRaw = credential.validUntil ?? credential.expirationDate;
	const validUntil = validUntilRaw === undefined ? undefined : parseTime(validUntilRaw);
	const subjectId = typeof subject.id === 'string' ? subject.id : undefined;
	const mismatch =
		payload.iss !== issuerId ||
		payload.jti !== credential.id ||
		(subjectId !== undefined && payload.sub !== subjectId) ||
		validFrom === null ||
		payload.nbf !== Math.floor(validFrom / 1000) ||
		validUntil === null ||
		(validUntil !== undefined && payload.exp !== Math.floor(validUntil / 1000)) ||
		(validUntil === undefined && payload.exp !== undefined);
	if (mismatch)
		return fail(
			'claims-mismatch',
			'The credential contradicts itself: its signed claims (issuer, id, subject or dates) do not agree with its content.',
			credential
		);

	if (options.expectedIssuerId !== undefined && issuerId !== options.expectedIssuerId)
		return fail(
			'wrong-issuer',
			'The signature is valid, but this credential names a different issuer.',
			credential
		);

	const now = (options.now ?? new Date()).getTime();
	const tolerance = (options.clockToleranceSeconds ?? 60) * 1000;
	if (now + tolerance < validFrom)
		return fail(
			'not-yet-valid',
			'The credential is not valid yet: its start date is in the future.',
			credential
		);
	if (validUntil !== undefined && now - tolerance > validUntil)
		return fail(
			'expired',
			`The credential expired on ${new Date(validUntil).toISOString().slice(0, 10)}.`,
			credential
		);

	return { ok: true, credential, payload, header };
}

// ---------------------------------------------------------------------------------------------
// Reading a credential

/**
 * The JWT in a credential file or pasted text: the bare compact JWS, or JSON holding it — a VC 2.0
 * EnvelopedVerifiableCredential ("id": "data:application/vc+jwt,<jwt>") or an object with a
 * "jwt", "credential" or "vc" string. Null when none is found. Never throws.
 */
export function extractJwt(text: string): string | null {
	if (typeof text !== 'string' || text.length > MAX_CREDENTIAL_LENGTH * 2) return null;
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (COMPACT_JWS.test(trimmed)) return trimmed;
	if (!trimmed.startsWith('{')) return null;
	let json: unknown;
	try {
		json = JSON.parse(trimmed);
	} catch {
		return null;
	}
	if (!isObject(json)) return null;
	for (const field of ['jwt', 'credential', 'vc', 'id']) {
		const value = json[field];
		if (typeof value !== 'string') continue;
		const candidate = value.replace(/^data:application\/(?:vc\+jwt|vc-ld\+jwt|jwt),/, '').trim();
		if (COMPACT_JWS.test(candidate)) return candidate;
	}
	return null;
}

/** A credential file to hand out: the compact JWS and a newline. Serve as application/vc+jwt. */
export function credentialFileContents(jwt: string): string {
	return jwt + '\n';
}

export interface CredentialSummary {
	verificationUrl: string;
	holderName: string | null;
	courseTitle: string | null;
	/** The Achievement's id: the course page at its version. */
	achievementId: string | null;
	courseVersion: string | null;
	completedAt: string | null;
	issuedAt: string | null;
	scorePercent: string | null;
	issuerId: string | null;
	issuerName: string | null;
	issuerUrl: string | null;
	statusUrl: string | null;
	statusType: string | null;
}

function str(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

/**
 * What a verified credential says, read defensively (it may come from anyone): for the
 * verification page, to compare with the database record, and for the CLI's report.
 */
export function credentialSummary(credential: Record<string, unknown>): CredentialSummary {
	const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
	const achievement = isObject(subject.achievement) ? subject.achievement : {};
	const issuer = isObject(credential.issuer) ? credential.issuer : {};
	const nameEntry = asArray(subject.identifier).find(
		(i): i is Record<string, unknown> =>
			isObject(i) && i.identityType === 'name' && i.hashed === false
	);
	const result = asArray(subject.result).find(isObject);
	const status = isObject(credential.credentialStatus) ? credential.credentialStatus : {};
	return {
		verificationUrl: str(credential.id) ?? '',
		holderName: str(nameEntry?.identityHash) ?? str(subject.name),
		courseTitle: str(achievement.name),
		achievementId: str(achievement.id),
		courseVersion: str(achievement.version),
		completedAt: str(credential.awardedDate) ?? str(subject.activityEndDate),
		issuedAt: str(credential.validFrom) ?? str(credential.issuanceDate),
		scorePercent: str(result?.value),
		issuerId: idOf(credential.issuer) ?? null,
		issuerName: str(issuer.name),
		issuerUrl: str(issuer.url),
		statusUrl: str(status.id),
		statusType: str(status.type)
	};
}

// ---------------------------------------------------------------------------------------------
// Status endpoint

/**
 * What GET credentialStatus.id answers (JSON, no login, cacheable for a minute at most):
 * {"id": <status URL>, "credential": <credential id>, "status": "valid" | "revoked",
 *  "reason": <text> | null, "revokedAt": <RFC 3339> | null, "checkedAt": <RFC 3339>}.
 */
export interface StatusDocument {
	id: string;
	credential: string;
	status: 'valid' | 'revoked';
	reason: string | null;
	revokedAt: string | null;
	checkedAt: string;
}

export function statusDocument(input: {
	siteUrl: string;
	verificationCode: string;
	revokedAt: Date | null;
	reason: string | null;
	now?: Date;
}): StatusDocument {
	const urls = certificateUrls(input.siteUrl, input.verificationCode);
	const revoked = input.revokedAt !== null;
	return {
		id: urls.statusUrl,
		credential: urls.verificationUrl,
		status: revoked ? 'revoked' : 'valid',
		reason: revoked ? (input.reason ?? null) : null,
		revokedAt: revoked ? dateTime(input.revokedAt!) : null,
		checkedAt: dateTime(input.now ?? new Date())
	};
}

/** Reads a StatusDocument fetched from a status URL; null when it is not one. */
export function readStatusDocument(json: unknown): StatusDocument | null {
	if (!isObject(json)) return null;
	const { id, credential, status, reason, revokedAt, checkedAt } = json;
	if (typeof id !== 'string' || typeof credential !== 'string' || typeof checkedAt !== 'string')
		return null;
	if (status !== 'valid' && status !== 'revoked') return null;
	if (reason !== null && typeof reason !== 'string') return null;
	if (revokedAt !== null && typeof revokedAt !== 'string') return null;
	return { id, credential, status, reason, revokedAt, checkedAt };
}
