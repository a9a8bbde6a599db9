// LinkedIn's "Add licence or certification" link, with the fields filled in. The learner follows
// it while logged in to LinkedIn and confirms; nothing is sent to LinkedIn by us.

export interface LinkedInCertificationInput {
	/** What the certification is called on the profile, e.g. the course title. */
	name: string;
	/** The issuer's name as shown on LinkedIn (the site name). */
	organizationName: string;
	/** LinkedIn's numeric company id, when the issuer has a company page; used instead of the name. */
	organizationId?: string;
	issuedAt: Date;
	/** The verification page. */
	certUrl: string;
	/** The verification code. */
	certId: string;
	expiresAt?: Date;
	/** The time zone the issue month is counted in; UTC by default. */
	timeZone?: string;
}

function yearMonth(date: Date, timeZone: string): { year: string; month: string } {
	const parts = new Intl.DateTimeFormat('en-US', {
		year: 'numeric',
		month: 'numeric',
		timeZone
	}).formatToParts(date);
	return {
		year: parts.find((p) => p.type === 'year')!.value,
		month: parts.find((p) => p.type === 'month')!.value
	};
}

/** https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=…&… */
export function linkedInAddToProfileUrl(input: LinkedInCertificationInput): string {
	const timeZone = input.timeZone ?? 'UTC';
	const issued = yearMonth(input.issuedAt, timeZone);
	const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: input.name });
	if (input.organizationId) params.set('organizationId', input.organizationId);
	else params.set('organizationName', input.organizationName);
	params.set('issueYear', issued.year);
	params.set('issueMonth', issued.month);
	if (input.expiresAt) {
		const expires = yearMonth(input.expiresAt, timeZone);
		params.set('expirationYear', expires.year);
		params.set('expirationMonth', expires.month);
	}
	params.set('certUrl', input.certUrl);
	params.set('certId', input.certId);
	return `https://www.linkedin.com/profile/add?${params.toString()}`;
}

/** The setting that names the issuer's LinkedIn company page (its numeric id). */
export const LINKEDIN_ORGANIZATION_ENV = 'LINKEDIN_ORGANIZATION_ID';
let warned = false;

/**
 * The issuer's LinkedIn company id from LINKEDIN_ORGANIZATION_ID (the number in the page's admin
 * address, linkedin.com/company/<id>/admin), so "Add to LinkedIn" links the certification to that
 * page and its logo. Unset: the site name is sent instead. A value that is not a number is ignored,
 * with one warning, rather than sending learners to a broken form.
 */
export function linkedInOrganizationId(
	env: Record<string, string | undefined> = process.env
): string | undefined {
	const value = env[LINKEDIN_ORGANIZATION_ENV]?.trim();
	if (!value) return undefined;
	if (/^\d{1,20}$/.test(value)) return value;
	if (!warned) {
		warned = true;
		console.warn(
			`${LINKEDIN_ORGANIZATION_ENV} must be the numeric id of a LinkedIn company page; it is ignored.`
		);
	}
	return undefined;
}
