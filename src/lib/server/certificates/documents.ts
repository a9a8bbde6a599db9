// The documents of a certificate, made from its database record whenever they are asked for
// (so a re-issue after a name change needs nothing stored): the PDF, the signed Open Badges
// credential, the status document, and the check of a credential someone uploads.
import { dataDir, siteName } from '../config';
import { findCourse } from '../content/catalog';
import type { Certificate } from '../db/schema';
import {
	buildCredential,
	certificateUrls,
	credentialSummary,
	extractJwt,
	issueCredential,
	issuerProfile,
	statusDocument,
	verifyCredential,
	type CredentialInput
} from './credential';
import { loadRetiredPublicKeys, publicJwks, signingKey } from './keys';
import { linkedInAddToProfileUrl } from './linkedin';
import { certificatePdf, unsupportedCharacters } from './pdf';

export interface Site {
	name: string;
	/** The public origin, e.g. https://learn.example.org. */
	url: string;
}

export const siteAt = (origin: string): Site => ({ name: siteName(), url: origin });

const key = () => signingKey({ dataDir: dataDir() });

/** The signing key and any retired ones, so credentials signed before a key change still verify. */
export async function jwks(site: Site) {
	return publicJwks(site.url, await key(), await loadRetiredPublicKeys(dataDir()));
}

/** The issuer's Open Badges profile, served at /issuer (the credentials' issuer.id). */
export const issuerDocument = (site: Site) =>
	issuerProfile(site.url, { name: site.name, url: site.url });

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
		issuedAt: cert.reissuedAt ?? cert.issuedAt
	};
}

export async function credentialOf(cert: Certificate, site: Site): Promise<string> {
	const { jwt } = await issueCredential(credentialInputOf(cert, site), await key());
	return jwt;
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
		issuedAt: cert.completedAt,
		certUrl: urlsOf(cert, site).verificationUrl,
		certId: cert.code
	});
}

export type UploadCheck =
	| { ok: false; message: string }
	| {
			ok: true;
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

/**
 * Checks a credential someone uploaded or pasted on the verification page of `cert`: signed by this
 * site's key, and saying exactly what that record says. A valid credential of another certificate
 * does not match (its code differs). Whether the record is revoked is the page's to say.
 */
export async function checkUploadedCredential(
	text: string,
	cert: Certificate,
	site: Site
): Promise<UploadCheck> {
	const jwt = extractJwt(text);
	if (!jwt)
		return { ok: false, message: 'That is not a credential: paste the whole file or its JWT.' };
	const verified = await verifyCredential(jwt, await jwks(site), {
		expectedIssuerId: issuerDocument(site).id
	});
	if (!verified.ok) return { ok: false, message: verified.message };
	const said = credentialSummary(verified.credential);
	const mismatches = differencesFromRecord(verified.credential, cert, site);
	return {
		ok: true,
		matches: mismatches.length === 0,
		mismatches,
		holderName: said.holderName,
		courseTitle: said.courseTitle
	};
}
