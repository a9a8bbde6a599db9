// The site's public address: the one origin certificates, QR codes, LinkedIn links, mails, the
// credential's issuer and the published keys name. ORIGIN when set; otherwise the address the
// first admin confirmed in site settings (stored in the database); until then this machine on
// loopback. Never a request header: anyone can send `Host: evil.test`.
import { eq, sql } from 'drizzle-orm';
import { isIP } from 'node:net';
import { databaseClient, db, type Executor, type Transaction } from '../db';
import { certificateHistory, certificates, siteSettings } from '../db/schema';

export type AddressSource = 'origin' | 'confirmed' | 'unconfirmed';

export interface SiteAddress {
	/** The origin, e.g. https://club.example (no path, no trailing slash). */
	url: string;
	/** Where it comes from: ORIGIN, the admin's confirmation, or the loopback fallback. */
	source: AddressSource;
	/** Whether only this machine can open it (localhost, 127.x, ::1). */
	loopback: boolean;
}

/** The setting an admin confirms, and the address certificates were last issued under. */
const ADDRESS_KEY = 'public_address';
const ISSUED_UNDER_KEY = 'certificates_address';

/**
 * Each instance (and each worker of `npm start`) reads the address from the database and keeps
 * it this long. A confirmed change is announced with NOTIFY on ADDRESS_CHANNEL in its own
 * transaction, and every instance following it (followAddressChanges) drops its copy when it
 * hears it, so the next request anywhere names the new address. This limit only bounds how long
 * a copy can outlive a change whose notification was lost (the listening connection down).
 */
export const ADDRESS_CACHE_MS = 5_000;
export const ADDRESS_CHANNEL = 'site_address_changed';

/** Whether only this machine can open `url`: localhost, *.localhost, 127.0.0.0/8, ::1. */
export function isLoopback(url: string): boolean {
	const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (isIP(host) === 4) return host.startsWith('127.');
	if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
	return false;
}

/** Where the site answers before anyone set an address: this machine, on PORT. */
export function fallbackAddress(): string {
	return `http://localhost:${process.env.PORT || 3000}`;
}

export type ParsedAddress = { ok: true; url: string } | { ok: false; message: string };

/**
 * An address as an admin types it, checked: http(s), a host, nothing after it. A path would be
 * silently dropped by every URL built on it, so it is refused rather than ignored.
 */
export function parseSiteAddress(input: string): ParsedAddress {
	const text = input.trim();
	if (!text) return { ok: false, message: 'Enter the address people open the site at.' };
	if (text.length > 200) return { ok: false, message: 'That address is too long.' };
	let url: URL;
	try {
		url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return { ok: false, message: 'That is not a web address, e.g. https://club.example.' };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return { ok: false, message: 'The address must start with https:// (or http://).' };
	if (url.username || url.password)
		return { ok: false, message: 'The address must not carry a user name or password.' };
	if (url.pathname !== '/' || url.search || url.hash)
		return {
			ok: false,
			message: 'Give the address without a path, e.g. https://club.example, not …/admin.'
		};
	return { ok: true, url: url.origin };
}

/** ORIGIN as the operator set it, or undefined (unset, empty, or not an http(s) origin). */
function configuredOrigin(): string | undefined {
	const configured = process.env.ORIGIN?.trim();
	if (!configured) return undefined;
	const parsed = parseSiteAddress(configured);
	return parsed.ok ? parsed.url : undefined;
}

let cached: { address: SiteAddress; until: number } | undefined;
// Bumped whenever the copy is dropped: a read that began before a change must not store the
// value it read after the change was announced.
let generation = 0;

function forgetAddress() {
	cached = undefined;
	generation++;
}

async function storedSetting(ex: Executor, key: string): Promise<string | undefined> {
	const [row] = await ex
		.select({ value: siteSettings.value })
		.from(siteSettings)
		.where(eq(siteSettings.key, key));
	return row?.value;
}

function describe(url: string, source: AddressSource): SiteAddress {
	return { url, source, loopback: isLoopback(url) };
}

/**
 * The site's public address, with where it comes from. Inside a transaction pass it (`ex`): with
 * a pool of one connection a read beside it would wait for ever.
 */
export async function siteAddress(ex?: Executor): Promise<SiteAddress> {
	const origin = configuredOrigin();
	if (origin) return describe(origin, 'origin');
	if (cached && cached.until > Date.now()) return cached.address;
	const readAt = generation;
	const stored = await storedSetting(ex ?? db(), ADDRESS_KEY);
	const parsed = stored ? parseSiteAddress(stored) : undefined;
	const address = parsed?.ok
		? describe(parsed.url, 'confirmed')
		: describe(fallbackAddress(), 'unconfirmed');
	if (readAt === generation) cached = { address, until: Date.now() + ADDRESS_CACHE_MS };
	return address;
}

/** The origin every absolute link starts with, e.g. https://club.example. */
export async function publicAddress(ex?: Executor): Promise<string> {
	return (await siteAddress(ex)).url;
}

/** The one line the start-up output gives a loopback address; null when others can open it. */
export function loopbackNotice(address: SiteAddress): string | null {
	if (!address.loopback) return null;
	return (
		`The site's address is ${address.url}, which only this machine can open: certificates ` +
		`and mail links name it. Set ORIGIN, or confirm the address in the browser at /admin/settings.`
	);
}

export type ConfirmResult =
	{ ok: true; url: string; reissued: number } | { ok: false; message: string };

/**
 * An admin confirms the address people open the site at. Certificates issued under another
 * address are re-issued under their same codes in the same transaction.
 */
export async function confirmSiteAddress(input: string, by: string): Promise<ConfirmResult> {
	if (configuredOrigin())
		return {
			ok: false,
			message: 'The address is set by ORIGIN in the environment; change it there.'
		};
	const parsed = parseSiteAddress(input);
	if (!parsed.ok) return parsed;
	const reissued = await db().transaction(async (tx) => {
		await writeSetting(tx, ADDRESS_KEY, parsed.url, by);
		// Delivered when the transaction commits, to every instance following the address.
		await tx.execute(sql`select pg_notify(${ADDRESS_CHANNEL}, '')`);
		// Unrecorded, certificates were made under the loopback fallback (ORIGIN is unset).
		return reissueUnder(tx, parsed.url, by, fallbackAddress());
	});
	forgetAddress();
	return { ok: true, url: parsed.url, reissued };
}

/**
 * Keeps this instance's copy of the address current: LISTEN for a confirmed change, as uploaded
 * courses follow publishes (authoring/packages.ts). The copy is dropped on each notification and
 * on each (re)connection of the listener, since a change may have gone unheard while it was down.
 * Returns a stop.
 */
export async function followAddressChanges(): Promise<() => Promise<void>> {
	const subscription = await databaseClient().listen(ADDRESS_CHANNEL, forgetAddress, forgetAddress);
	return async () => {
		await subscription.unlisten();
	};
}

/**
 * At start-up: when the address changed while the site was down (ORIGIN edited, a restore onto
 * another machine), certificates are re-issued under it. Returns how many were.
 */
export async function reissueIfAddressChanged(): Promise<number> {
	const { url, source } = await siteAddress();
	// The loopback fallback is no address to issue under: each instance has its own PORT, and
	// instances starting in turn would re-issue everything back and forth.
	if (source === 'unconfirmed') return 0;
	// With nothing recorded (the first start of this version) the address is taken as the one
	// certificates were made under: an upgraded site with ORIGIN set is not re-issued for nothing.
	return db().transaction((tx) => reissueUnder(tx, url, null, url));
}

async function writeSetting(tx: Transaction, key: string, value: string, by: string | null) {
	await tx
		.insert(siteSettings)
		.values({ key, value, updatedBy: by })
		.onConflictDoUpdate({
			target: siteSettings.key,
			set: { value, updatedBy: by, updatedAt: sql`now()` }
		});
}

/**
 * Records `url` as the address certificates are issued under and, if they were issued under
 * another one, re-issues every certificate (a new issue date and history entry; the documents
 * are made from the record whenever asked for, so they name the new address from now on).
 * `unrecorded` is the address taken as theirs when none was recorded yet.
 */
async function reissueUnder(
	tx: Transaction,
	url: string,
	by: string | null,
	unrecorded: string
): Promise<number> {
	// Instances starting together take turns here; the second sees the first's record.
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext('site_settings.certificates'))`);
	const [row] = await tx
		.select({ value: siteSettings.value })
		.from(siteSettings)
		.where(eq(siteSettings.key, ISSUED_UNDER_KEY));
	const before = row?.value ?? unrecorded;
	if (row && before === url) return 0;
	await writeSetting(tx, ISSUED_UNDER_KEY, url, by);
	if (before === url) return 0;
	const changed = await tx
		.update(certificates)
		.set({ reissuedAt: new Date() })
		.returning({ id: certificates.id });
	if (changed.length)
		await tx.insert(certificateHistory).values(
			changed.map(({ id }) => ({
				certificateId: id,
				action: 'reissued' as const,
				by,
				reason: `Site address changed from ${before} to ${url}`
			}))
		);
	return changed.length;
}
