import { describe, expect, it } from 'vitest';
import {
	linkedInAddToProfileUrl,
	linkedInOrganizationId
} from '../../src/lib/server/certificates/linkedin';

describe('linkedInAddToProfileUrl', () => {
	it('fills in the certification fields', () => {
		const url = new URL(
			linkedInAddToProfileUrl({
				name: 'Hip flexor & psoas pain in runners',
				organizationName: 'Stride Academy',
				issuedAt: new Date('2025-03-31T23:30:00Z'),
				certUrl: 'https://learn.example.org/verify/abcd-efgh',
				certId: 'abcd-efgh'
			})
		);
		expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
		expect(Object.fromEntries(url.searchParams)).toEqual({
			startTask: 'CERTIFICATION_NAME',
			name: 'Hip flexor & psoas pain in runners',
			organizationName: 'Stride Academy',
			issueYear: '2025',
			issueMonth: '3',
			certUrl: 'https://learn.example.org/verify/abcd-efgh',
			certId: 'abcd-efgh'
		});
	});

	it('counts the month in the given time zone, uses an organisation id when known, adds expiry', () => {
		const url = new URL(
			linkedInAddToProfileUrl({
				name: 'Course',
				organizationName: 'Stride Academy',
				organizationId: '123456',
				issuedAt: new Date('2025-03-31T23:30:00Z'),
				expiresAt: new Date('2027-12-15T00:00:00Z'),
				timeZone: 'Europe/Berlin',
				certUrl: 'https://learn.example.org/verify/x',
				certId: 'x'
			})
		);
		expect(url.searchParams.get('issueMonth')).toBe('4');
		expect(url.searchParams.get('organizationId')).toBe('123456');
		expect(url.searchParams.has('organizationName')).toBe(false);
		expect(url.searchParams.get('expirationYear')).toBe('2027');
		expect(url.searchParams.get('expirationMonth')).toBe('12');
	});

	it('reads the company id from LINKEDIN_ORGANIZATION_ID, ignoring a value that is not one', () => {
		expect(linkedInOrganizationId({})).toBeUndefined();
		expect(linkedInOrganizationId({ LINKEDIN_ORGANIZATION_ID: ' 2414183 ' })).toBe('2414183');
		expect(
			linkedInOrganizationId({ LINKEDIN_ORGANIZATION_ID: 'https://linkedin.com/company/x' })
		).toBeUndefined();
	});
});
