// The site's public address on PostgreSQL: ORIGIN when set, else what an admin confirmed, else
// loopback; a change re-issues every certificate under its same code, and the documents, links
// and mails made afterwards name the new address. Other instances hear of a change at once
// (NOTIFY), and see it within the cache time even if they missed the notification.
import { eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { newVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	credentialOf,
	issuerDocument,
	jwks,
	linkedInUrlOf,
	siteAt,
	statusOf,
	urlsOf
} from '../../src/lib/server/certificates/documents';
import { certificateHistoryOf, certificateByCode } from '../../src/lib/server/certificates/records';
import { certificates, emailOutbox, siteSettings } from '../../src/lib/server/db/schema';
import { queueMails } from '../../src/lib/server/mail/outbox';
import {
	ADDRESS_CACHE_MS,
	ADDRESS_CHANNEL,
	confirmSiteAddress,
	followAddressChanges,
	isLoopback,
	loopbackNotice,
	parseSiteAddress,
	publicAddress,
	reissueIfAddressChanged,
	siteAddress
} from '../../src/lib/server/site/address';
import { freshDatabase } from '../support/fresh-database';

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let sql: Awaited<ReturnType<typeof freshDatabase>>['sql'];
let holderId: string;
let adminId: string;
let code: string;

const origin = process.env.ORIGIN;
const port = process.env.PORT;
afterEach(() => {
	vi.useRealTimers();
	if (origin === undefined) delete process.env.ORIGIN;
	else process.env.ORIGIN = origin;
});

async function person(name: string, email: string) {
	const made = await createUser({ name, email, password: 'plum-tractor-71' });
	if (!made.ok) throw new Error(made.message);
	return made.value.id;
}

const certificate = async () => (await certificateByCode(code))!;
const currentSite = async () => siteAt(await publicAddress());

beforeAll(async () => {
	({ db, sql } = await freshDatabase());
	delete process.env.ORIGIN;
	process.env.PORT = '3000';
	holderId = await person('Ada Holder', 'ada-holder@example.com');
	adminId = await person('Site Admin', 'site-admin@example.com');
	code = newVerificationCode();
	await db.insert(certificates).values({
		userId: holderId,
		courseId: 'fixture-course',
		courseVersion: 1,
		code,
		holderName: 'Ada Holder',
		courseTitle: 'Brewing a pot of tea',
		completedAt: new Date('2026-11-01T10:00:00Z'),
		scorePercent: 90,
		estimatedHours: 0.5
	});
	return () => {
		if (port === undefined) delete process.env.PORT;
		else process.env.PORT = port;
	};
});

describe('which address', () => {
	it('names loopback addresses, and reads what an admin may type', () => {
		for (const url of [
			'http://localhost:3000',
			'http://app.localhost',
			'http://127.0.0.1:8080',
			'http://127.8.9.1',
			'http://[::1]:3000'
		])
			expect(isLoopback(url), url).toBe(true);
		for (const url of ['https://club.example', 'http://192.168.1.20:3000', 'http://[2001:db8::1]'])
			expect(isLoopback(url), url).toBe(false);

		expect(parseSiteAddress(' https://Club.Example/ ')).toEqual({
			ok: true,
			url: 'https://club.example'
		});
		expect(parseSiteAddress('club.example:8443')).toEqual({
			ok: true,
			url: 'https://club.example:8443'
		});
		for (const [input, message] of [
			['', /Enter the address/],
			['ftp://club.example', /https/],
			['https://club.example/admin', /without a path/],
			['https://club.example/?x=1', /without a path/],
			['https://user:secret@club.example', /user name or password/],
			['https://exa mple', /not a web address/],
			['https://' + 'a'.repeat(250) + '.example', /too long/]
		] as const) {
			const parsed = parseSiteAddress(input);
			expect(parsed.ok, input).toBe(false);
			if (!parsed.ok) expect(parsed.message, input).toMatch(message);
		}
	});

	it('is this machine until an admin confirms one, and says so in one line', async () => {
		const address = await siteAddress();
		expect(address).toEqual({
			url: 'http://localhost:3000',
			source: 'unconfirmed',
			loopback: true
		});
		const line = loopbackNotice(address);
		expect(line).toMatch(/only this machine can open/);
		expect(line).toContain('/admin/settings');
		expect(line).not.toContain('\n');
		// Instances on other ports each have their own fallback: none re-issues at start-up.
		expect(await reissueIfAddressChanged()).toBe(0);
		expect(await db.select().from(siteSettings)).toEqual([]);
		expect(
			loopbackNotice({ url: 'https://club.example', source: 'confirmed', loopback: false })
		).toBe(null);
	});

	it('is ORIGIN when set, which an admin cannot override', async () => {
		process.env.ORIGIN = 'https://learn.example.org';
		expect(await siteAddress()).toEqual({
			url: 'https://learn.example.org',
			source: 'origin',
			loopback: false
		});
		const refused = await confirmSiteAddress('https://club.example', adminId);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.message).toMatch(/ORIGIN/);
		const rows = await db.select().from(siteSettings).where(eq(siteSettings.key, 'public_address'));
		expect(rows).toEqual([]);
	});
});

describe('an admin confirms the address', () => {
	it('re-issues a certificate made before under its same code, naming the new address', async () => {
		// Made before the address was confirmed: everything names this machine.
		const before = await currentSite();
		const oldJwt = await credentialOf(await certificate(), before);
		expect(decodeJwt(oldJwt).iss).toBe('http://localhost:3000/issuer');

		const refused = await confirmSiteAddress('https://club.example/admin', adminId);
		expect(refused.ok).toBe(false);
		expect((await siteAddress()).source).toBe('unconfirmed');

		const done = await confirmSiteAddress('https://club.example', adminId);
		expect(done).toEqual({ ok: true, url: 'https://club.example', reissued: 1 });
		expect(await siteAddress()).toEqual({
			url: 'https://club.example',
			source: 'confirmed',
			loopback: false
		});

		const cert = await certificate();
		expect(cert.code).toBe(code);
		expect(cert.reissuedAt).not.toBeNull();
		const history = await certificateHistoryOf(cert.id);
		expect(history.at(-1)).toMatchObject({
			action: 'reissued',
			by: 'Site Admin',
			reason: 'Site address changed from http://localhost:3000 to https://club.example'
		});

		const site = await currentSite();
		const jwt = await credentialOf(cert, site);
		const claims = decodeJwt(jwt) as Record<string, unknown> & { issuer: { id: string } };
		expect(claims.iss).toBe('https://club.example/issuer');
		expect(claims.issuer.id).toBe('https://club.example/issuer');
		expect(claims.jti).toBe(`https://club.example/verify/${code}`);
		// Each key is served at its own URL on the site (OB 3.0: kid dereferences to a JWK).
		expect(decodeProtectedHeader(jwt).kid).toMatch(/^https:\/\/club\.example\/keys\//);
		// The QR code and the verification link on the PDF and the page are this URL.
		expect(urlsOf(cert, site).verificationUrl).toBe(`https://club.example/verify/${code}`);
		expect(decodeURIComponent(linkedInUrlOf(cert, site))).toContain(
			`https://club.example/verify/${code}`
		);
		expect(statusOf(cert, site).id).toBe(`https://club.example/verify/${code}/status`);
		expect((await issuerDocument(site)).id).toBe('https://club.example/issuer');
		for (const key of (await jwks(site)).keys)
			expect(key.kid).toMatch(/^https:\/\/club\.example\//);
		expect(JSON.stringify([jwt, claims])).not.toContain('localhost');
	});

	it('re-issues nothing when the same address is confirmed again', async () => {
		const at = (await certificate()).reissuedAt;
		expect(await confirmSiteAddress('https://club.example/', adminId)).toEqual({
			ok: true,
			url: 'https://club.example',
			reissued: 0
		});
		expect((await certificate()).reissuedAt).toEqual(at);
	});

	it('puts the address in mail links', async () => {
		await queueMails(db, [
			{
				userId: holderId,
				to: 'ada-holder@example.com',
				kind: 'invitation',
				subject: 'Hello',
				text: 'Hello'
			}
		]);
		const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.userId, holderId));
		expect(mail!.unsubscribeUrl).toMatch(/^https:\/\/club\.example\/unsubscribe\//);
		expect(mail!.textBody).toContain('https://club.example/unsubscribe/');
	});

	it('reaches another instance within the cache time', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		expect(await publicAddress()).toBe('https://club.example');
		// Another instance confirms a new address: this one has it in its cache for a while...
		await db
			.update(siteSettings)
			.set({ value: 'https://runners.example' })
			.where(eq(siteSettings.key, 'public_address'));
		expect(await publicAddress()).toBe('https://club.example');
		// ...and reads it again once that is over.
		vi.setSystemTime(Date.now() + ADDRESS_CACHE_MS + 1);
		expect(await publicAddress()).toBe('https://runners.example');
	});

	it('hears a change another instance announces, without waiting for the cache time', async () => {
		const stop = await followAddressChanges();
		try {
			vi.useFakeTimers({ toFake: ['Date'] });
			expect(await publicAddress()).toBe('https://runners.example');
			// Another instance confirms an address: it writes the setting and notifies, as
			// confirmSiteAddress does in its transaction.
			await sql.begin(async (tx) => {
				await tx`update site_settings set value = 'https://track.example' where key = 'public_address'`;
				await tx`select pg_notify(${ADDRESS_CHANNEL}, '')`;
			});
			// The clock stands still: only the notification can make this instance read again.
			await expect.poll(() => publicAddress(), { timeout: 5_000 }).toBe('https://track.example');
		} finally {
			await stop();
		}
	});

	it('re-issues at start-up when ORIGIN changed while the site was down', async () => {
		process.env.ORIGIN = 'https://academy.example';
		expect(await reissueIfAddressChanged()).toBe(1);
		expect((await certificateHistoryOf((await certificate()).id)).at(-1)).toMatchObject({
			action: 'reissued',
			by: null,
			reason: 'Site address changed from https://club.example to https://academy.example'
		});
		// A second instance starting on the same database finds nothing left to do.
		expect(await reissueIfAddressChanged()).toBe(0);
	});
});
