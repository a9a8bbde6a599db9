// The documents of a certificate, made from its database record whenever they are asked for
// (so a re-issue after a name change needs nothing stored): the PDF, the signed Open Badges
// credential in its two forms (VC-JWT, and JSON-LD with an embedded proof), the status document
// and the revocation lists, the issuer's keys, and the check of a credential someone uploads.
//
// The site's public address enters here only, as `Site.url` (siteAt(origin)): every URL in a
// credential, key id, status list and PDF is built from it.
import { dataDir, siteName } from '../config';
import { findCourse } from '../content/catalog';
import type { Certificate } from '../db/schema';
import {
	buildCredential,
	CERTIFICATE_PATHS,
	certificateUrls,
	credentialSummary,
	extractJwt,
	issueCredential,
	issuerProfile,
	statusDocument,
	verifyCredential,
	type CredentialInput
} from './credential';
import {
	keyUrl,
	loadRetiredPublicKeys,
	publicJwk,
	publicJwks,
	rsaSigningKey,
	signingKey,
	type Ed25519PublicJwk
} from './keys';
import {
	ed25519KeyDocument,
	issuerDocuments,
	PROOF_CRYPTOSUITE,
	signEmbedded,
	statusListCredential,
	verifyEmbedded
} from './linked-data';
import { revokedStatusIndexes } from './records';
import { linkedInAddToProfileUrl, linkedInOrganizationId } from './linkedin';
import { certificatePdf, unsupportedCharacters } from './pdf';

export interface Site {
	name: string;
	/** The public origin, e.g. https://learn.example.org. */
	url: string;
}

export const siteAt = (origin: string): Site => ({ name: siteName(), url: origin });

/** Ed25519: the embedded proofs, the status lists, and EdDSA JWTs issued before RS256. */
const proofKey = () => signingKey({ dataDir: dataDir() });
/**
 * RSA: the VC-JWT (RS256). The Ed25519 key is made with it, so the first certificate leaves both
 * key files for the backup to carry.
 */
const jwtKey = async () => {
	await proofKey();
	return rsaSigningKey({ dataDir: dataDir() });
};

/** The signing keys and any retired ones, so credentials signed before a key change still verify. */
export async function jwks(site: Site) {
	return publicJwks(
		site.url,
		[await jwtKey(), await proofKey()],
		await loadRetiredPublicKeys(dataDir())
	);
}

/**
 * One published key as a document at its own URL (<site>/keys/<kid>): a JWK, and for an Ed25519
 * key also its Multikey verification method. Null for a kid this site does not publish.
 */
export async function keyDocument(site: Site, kid: string) {
	const rsa = await jwtKey();
	if (rsa.kid === kid) return publicJwk(site.url, rsa);
	const ed = await proofKey();
	const retired = await loadRetiredPublicKeys(dataDir());
	for (const key of [ed, ...retired]) {
		if (key.kid !== kid) continue;
		const issuerId = issuerProfile(site.url, { name: site.name }).id;
		return key.publicJwk.kty === 'OKP'
			? ed25519KeyDocument(site.url, issuerId, key as { kid: string; publicJwk: Ed25519PublicJwk })
			: publicJwk(site.url, key);
	}
	return null;
}

/**
 * The issuer's Open Badges profile, served at /issuer (the credentials' issuer.id). It lists the
 * key that signs embedded proofs (assertionMethod), as their verifiers require.
 */
export async function issuerDocument(site: Site) {
	return issuerProfile(site.url, { name: site.name, url: site.url }, [
		keyUrl(site.url, (await proofKey()).kid)
	]);
}

/** The profile and key documents a verifier of our embedded proofs reads, without fetching. */
async function verifierDocuments(site: Site) {
	const retired = (await loadRetiredPublicKeys(dataDir())).filter(
		(k): k is { kid: string; publicJwk: Ed25519PublicJwk } => k.publicJwk.kty === 'OKP'
	);
	return issuerDocuments(site.url, await issuerDocument(site), [await proofKey(), ...retired]);
}

export function urlsOf(cert: Certificate, site: Site) {
	return certificateUrls(site.url, cert.code);
}

/**
 * Why a certificate's documents (PDF, credential) are no longer handed out, or null when they
 * are: a revoked certificate keeps its record and verification page, but a freshly signed
 * document would outlive the revocation wherever it is shown.
 */
export function documentsWithheld(cert: Certificate): string | null {
	if (!cert.revokedAt) return null;
	const on = cert.revokedAt.toISOString().slice(0, 10);
	return (
		`This certificate was revoked on ${on}` +
		(cert.revokedReason ? ` (${cert.revokedReason})` : '') +
		', so its PDF and credential are no longer issued. Its verification page says it is revoked.'
	);
}

/**
 * Why the PDF cannot print this certificate's name, or null when it can. The PDF font covers
 * Latin, Greek and Cyrillic; the signed credential carries any name.
 */
export function pdfNameProblem(cert: Certificate): string | null {
	const missing = unsupportedCharacters(cert.holderName);
	if (missing.length === 0) return null;
	return (
		`The PDF cannot print the name “${cert.holderName}”: its font has no ${missing.join(' ')}. ` +
		'Set a name for certificates in Latin, Greek or Cyrillic letters on your account page (the ' +
		'certificate is re-issued under the same code); the credential file carries your name as it is.'
	);
}

export async function pdfOf(cert: Certificate, site: Site): Promise<Uint8Array> {
	const course = findCourse(cert.courseId);
	return certificatePdf({
		holderName: cert.holderName,
		courseTitle: cert.courseTitle,
		courseVersion: cert.courseVersion,
		completedAt: cert.completedAt,
		scorePercent: cert.scorePercent ?? 100,
		estimatedMinutes: course?.estimatedMinutes ?? Math.round(cert.estimatedHours * 60),
		issuerName: site.name,
		issuerUrl: site.url,
		verificationUrl: urlsOf(cert, site).verificationUrl,
		verificationCode: cert.code,
		issuedAt: cert.reissuedAt ?? cert.issuedAt
	});
}

/** What the credential of a record says: built from the record alone, the same on every call. */
function credentialInputOf(cert: Certificate, site: Site): CredentialInput {
	const course = findCourse(cert.courseId);
	return {
		siteUrl: site.url,
		issuer: { name: site.name, url: site.url },
		verificationCode: cert.code,
		holder: { name: cert.holderName },
		course: {
			slug: cert.courseId,
			title: cert.courseTitle,
			version: cert.courseVersion,
			description: course?.summary ?? cert.courseTitle,
			estimatedMinutes: course?.estimatedMinutes,
			language: 'en'
		},
		result: {
			scorePercent: cert.scorePercent ?? 100,
			passPercent: course?.finalExam?.settings.passPercent
		},
		completedAt: cert.completedAt,
		issuedAt: cert.reissuedAt ?? cert.issuedAt,
		statusListIndex: cert.statusListIndex
	};
}

/** The credential as a VC-JWT, signed RS256. */
export async function credentialOf(cert: Certificate, site: Site): Promise<string> {
	const { jwt } = await issueCredential(credentialInputOf(cert, site), await jwtKey());
	return jwt;
}

/** The same credential as JSON-LD with an embedded eddsa-rdfc-2022 proof. */
export async function embeddedCredentialOf(
	cert: Certificate,
	site: Site
): Promise<Record<string, unknown>> {
	const key = await proofKey();
	return signEmbedded(
		buildCredential(credentialInputOf(cert, site)),
		site.url,
		{ kid: key.kid, privateJwk: key.privateJwk },
		await verifierDocuments(site)
	);
}

/** How long a verifier may keep a status list before asking again (Cache-Control and its ttl). */
export const STATUS_LIST_TTL_SECONDS = 300;
const signedLists = new Map<string, { revoked: string; document: Record<string, unknown> }>();

/**
 * Revocation list number `list` (from 1), signed; re-signed only when its revoked set changed, so
 * its ETag stays the same between changes. Null for a list that does not exist yet.
 */
export async function statusListOf(site: Site, list: number) {
	const { indexes, highest } = await revokedStatusIndexes(list);
	if (highest === null) return null;
	const revoked = indexes.join(',');
	const cacheKey = `${site.url} ${list}`;
	const cached = signedLists.get(cacheKey);
	if (cached && cached.revoked === revoked) return cached.document;
	const key = await proofKey();
	const profile = await issuerDocument(site);
	const listUrl = new URL(CERTIFICATE_PATHS.statusList(list), site.url).href;
	const document = await statusListCredential({
		siteUrl: site.url,
		listUrl,
		list,
		issuer: { id: profile.id, name: profile.name },
		revoked: indexes,
		key: { kid: key.kid, privateJwk: key.privateJwk },
		documents: await verifierDocuments(site),
		changedAt: new Date(),
		ttlSeconds: STATUS_LIST_TTL_SECONDS
	});
	signedLists.set(cacheKey, { revoked, document });
	return document;
}

export function statusOf(cert: Certificate, site: Site) {
	return statusDocument({
		siteUrl: site.url,
		verificationCode: cert.code,
		revokedAt: cert.revokedAt,
		reason: cert.revokedReason
	});
}

export function linkedInUrlOf(cert: Certificate, site: Site) {
	return linkedInAddToProfileUrl({
		name: `${cert.courseTitle}`,
		organizationName: site.name,
		organizationId: linkedInOrganizationId(),
		issuedAt: cert.completedAt,
		certUrl: urlsOf(cert, site).verificationUrl,
		certId: cert.code
	});
}

export type UploadCheck =
	| { ok: false; message: string }
	| {
			ok: true;
			/** Which proof was checked, in words, e.g. "VC-JWT signature (RS256)". */
			proof: string;
			/** Whether what the credential says matches the record of the page it was checked on. */
			matches: boolean;
			/** What differs, in words ("holder name", "score", …); empty when it matches. */
			mismatches: string[];
			holderName: string | null;
			courseTitle: string | null;
	  };

const sameInstant = (a: string | null, b: string | null) =>
	a !== null && b !== null && Date.parse(a) === Date.parse(b);

/**
 * What differs between a verified credential and a record: every fact the credential states about
 * the certificate (code, holder, course, version, score, completion and issue dates, issuer).
 */
export function differencesFromRecord(
	credential: Record<string, unknown>,
	cert: Certificate,
	site: Site
): string[] {
	const said = credentialSummary(credential);
	const expected = credentialSummary(
		buildCredential(credentialInputOf(cert, site)) as unknown as Record<string, unknown>
	);
	const differences: string[] = [];
	if (said.verificationUrl !== expected.verificationUrl) differences.push('certificate code');
	if (said.holderName !== expected.holderName) differences.push('holder name');
	if (said.achievementId !== expected.achievementId || said.courseTitle !== expected.courseTitle)
		differences.push('course');
	if (said.courseVersion !== expected.courseVersion) differences.push('course version');
	if (said.scorePercent !== expected.scorePercent) differences.push('score');
	if (!sameInstant(said.completedAt, expected.completedAt)) differences.push('completion date');
	if (!sameInstant(said.issuedAt, expected.issuedAt)) differences.push('issue date');
	if (said.issuerId !== expected.issuerId) differences.push('issuer');
	return differences;
}

/** A credential in either form, verified against this site's published keys. */
export async function verifyEitherForm(
	text: string,
	site: Site
): Promise<
	{ ok: true; credential: Record<string, unknown>; proof: string } | { ok: false; message: string }
> {
	const jwt = extractJwt(text);
	if (jwt) {
		const verified = await verifyCredential(jwt, await jwks(site), {
			expectedIssuerId: (await issuerDocument(site)).id
		});
		if (!verified.ok) return { ok: false, message: verified.message };
		return {
			ok: true,
			credential: verified.credential,
			proof: `VC-JWT signature (${String(verified.header.alg)})`
		};
	}
	const json = embeddedCredentialIn(text);
	if (!json)
		return {
			ok: false,
			message:
				'That is not a credential: paste the whole file, its JWT, or the JSON-LD credential with its proof.'
		};
	const verified = await verifyEmbedded(json, await verifierDocuments(site));
	if (!verified.ok) return { ok: false, message: verified.message };
	return {
		ok: true,
		credential: verified.credential,
		proof: `embedded Data Integrity proof (${PROOF_CRYPTOSUITE})`
	};
}

/** A JSON-LD credential with an embedded proof, from pasted text; null when it is not one. */
function embeddedCredentialIn(text: string): Record<string, unknown> | null {
	let json: unknown;
	try {
		json = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch {
		return null;
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
	const proof = (json as { proof?: unknown }).proof;
	return typeof proof === 'object' && proof !== null ? (json as Record<string, unknown>) : null;
}

/**
 * Checks a credential someone uploaded or pasted on the verification page of `cert`: signed by this
 * site's key (either form), and saying exactly what that record says. A valid credential of another
 * certificate does not match (its code differs). Whether the record is revoked is the page's to say.
 */
export async function checkUploadedCredential(
	text: string,
	cert: Certificate,
	site: Site
): Promise<UploadCheck> {
	const verified = await verifyEitherForm(text, site);
	if (!verified.ok) return verified;
	const said = credentialSummary(verified.credential);
	const mismatches = differencesFromRecord(verified.credential, cert, site);
	return {
		ok: true,
		proof: verified.proof,
		matches: mismatches.length === 0,
		mismatches,
		holderName: said.holderName,
		courseTitle: said.courseTitle
	};
}
