// The documents of a certificate, made from its database record whenever they are asked for
// (so a re-issue after a name change needs nothing stored): the PDF, the signed Open Badges
// credential, the status document, and the check of a credential someone uploads.
import { dataDir, siteName } from '../config';
import { findCourse } from '../content/catalog';
import type { Certificate } from '../db/schema';
import {
	certificateUrls,
	codeFromVerificationUrl,
	credentialSummary,
	extractJwt,
	issueCredential,
	issuerProfile,
	statusDocument,
	verifyCredential
} from './credential';
import { loadRetiredPublicKeys, publicJwks, signingKey } from './keys';
import { linkedInAddToProfileUrl } from './linkedin';
import { certificatePdf } from './pdf';
import { certificateByCode } from './records';

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

export async function credentialOf(cert: Certificate, site: Site): Promise<string> {
	const course = findCourse(cert.courseId);
	const { jwt } = await issueCredential(
		{
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
		},
		await key()
	);
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
			/** Whether what the credential says matches this site's record. */
			matches: boolean;
			mismatches: string[];
			revoked: boolean;
			holderName: string | null;
			courseTitle: string | null;
	  };

/**
 * Checks a credential someone uploaded or pasted: signed by this site's key, the certificate it
 * names exists, what it says matches the record, and whether the record is revoked.
 */
export async function checkUploadedCredential(text: string, site: Site): Promise<UploadCheck> {
	const jwt = extractJwt(text);
	if (!jwt)
		return { ok: false, message: 'That is not a credential: paste the whole file or its JWT.' };
	const verified = await verifyCredential(jwt, await jwks(site), {
		expectedIssuerId: issuerDocument(site).id
	});
	if (!verified.ok) return { ok: false, message: verified.message };
	const said = credentialSummary(verified.credential);
	const code = codeFromVerificationUrl(said.verificationUrl, site.url);
	const record = code ? await certificateByCode(code) : undefined;
	if (!record)
		return { ok: false, message: 'The signature is valid, but this site has no such certificate.' };
	const mismatches: string[] = [];
	if (said.holderName !== record.holderName) mismatches.push('holder name');
	if (said.courseTitle !== record.courseTitle) mismatches.push('course');
	if (said.courseVersion !== String(record.courseVersion)) mismatches.push('course version');
	return {
		ok: true,
		matches: mismatches.length === 0,
		mismatches,
		revoked: record.revokedAt !== null,
		holderName: said.holderName,
		courseTitle: said.courseTitle
	};
}
