// `npm run verify-credential -- <file> [--jwks <url-or-file>] [--offline]`
//
// Checks a certificate credential without an account, in either form:
// - a VC-JWT (the .jwt file from "Download credential", a JSON file holding it, or "-" for
//   standard input): its signature against the issuer's public keys, the JWKS given with --jwks (a
//   file or a URL), else the one the issuer publishes at <origin of issuer id>/.well-known/jwks.json;
// - a JSON-LD credential with an embedded Data Integrity proof (the .json file for wallets): its
//   eddsa-rdfc-2022 proof with @digitalbazaar/vc, against the issuer profile (issuer.id) and the key
//   document (proof.verificationMethod) fetched from the issuer's site, or against the Ed25519 keys
//   of the --jwks file;
// - that the credential is an Open Badges credential within its dates;
// - unless --offline, its status: the revocation bit in the issuer's signed status list (W3C
//   Bitstring Status List), or the status address of credentials issued before the lists.
// With --jwks <file> and --offline nothing goes over the network.
//
// Prints which proof was checked, the verdict with the reason, the holder, the course and the
// dates. Exit status: 0 valid, 1 invalid or revoked, 2 the check could not be made (unreadable
// file or keys, bad arguments).
import { readFileSync } from 'node:fs';
import {
	credentialSummary,
	extractJwt,
	LEGACY_STATUS_TYPE,
	readStatusDocument,
	STATUS_TYPE,
	verifyCredential,
	type StatusDocument
} from '../src/lib/server/certificates/credential';
import { isJwks, JWKS_PATH } from '../src/lib/server/certificates/keys';
import {
	documentsFromJwks,
	PROOF_CRYPTOSUITE,
	revokedByStatusList,
	verifyEmbedded
} from '../src/lib/server/certificates/linked-data';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const USAGE = 'Usage: npm run verify-credential -- <file|-> [--jwks <url-or-file>] [--offline]';
const FETCH_TIMEOUT_MS = 10_000;

function stop(message: string, code = 2): never {
	console.error(message);
	process.exit(code);
}

function parseArgs() {
	const { values, positionals } = readCommandLine(USAGE, {
		allowPositionals: true,
		options: { jwks: { type: 'string' }, offline: { type: 'boolean', default: false } }
	});
	// Run bare, it says how to run it.
	if (positionals.length === 0) stop(USAGE);
	if (positionals.length > 1) refuseUsage(USAGE, 'one credential file at a time');
	return { file: positionals[0]!, jwks: values.jwks, offline: values.offline };
}

function isUrl(value: string): boolean {
	return /^https?:\/\//i.test(value);
}

/** Only https, except on this machine (a local install or a test server). */
function allowedUrl(url: URL): boolean {
	return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

async function fetchJson(url: string): Promise<unknown> {
	const response = await fetch(url, {
		headers: { accept: 'application/json' },
		redirect: 'error',
		signal: AbortSignal.timeout(FETCH_TIMEOUT_MS)
	});
	if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}.`);
	const text = await response.text();
	if (text.length > 1_000_000) throw new Error(`${url} answered far more than a key set.`);
	return JSON.parse(text);
}

function readInput(file: string): string {
	try {
		return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
	} catch (e) {
		stop(`Cannot read ${file}: ${(e as Error).message}`);
	}
}

/** The issuer id, read from the (not yet verified) payload, only to find the issuer's keys. */
function unverifiedIssuerId(jwt: string): string | undefined {
	try {
		const payload = JSON.parse(
			Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')
		) as Record<string, unknown>;
		const vc = (payload.vc ?? payload) as Record<string, unknown>;
		const issuer = vc.issuer;
		if (typeof issuer === 'string') return issuer;
		if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string')
			return (issuer as { id: string }).id;
		return typeof payload.iss === 'string' ? payload.iss : undefined;
	} catch {
		return undefined;
	}
}

async function loadJwks(
	source: string | undefined,
	issuerId: string | undefined
): Promise<{ jwks: unknown; from: string }> {
	if (source && !isUrl(source)) {
		try {
			return { jwks: JSON.parse(readFileSync(source, 'utf8')), from: source };
		} catch (e) {
			stop(`Cannot read the key set ${source}: ${(e as Error).message}`);
		}
	}
	let url: URL;
	try {
		if (source) url = new URL(source);
		else {
			if (!issuerId)
				stop(
					'The credential names no issuer, so its keys cannot be found. Give them with --jwks.',
					1
				);
			url = new URL(JWKS_PATH, issuerId);
		}
	} catch {
		stop(
			'The issuer’s address is not a URL, so its keys cannot be found. Give them with --jwks.',
			1
		);
	}
	if (!allowedUrl(url))
		stop(`Refusing to fetch keys over plain http from ${url.href}. Give them with --jwks.`);
	try {
		return { jwks: await fetchJson(url.href), from: url.href };
	} catch (e) {
		stop(`Cannot fetch the issuer’s keys from ${url.href}: ${(e as Error).message}`);
	}
}

async function checkStatus(statusUrl: string, credentialId: string, issuerId: string | null) {
	let url: URL;
	try {
		url = new URL(statusUrl);
	} catch {
		return { line: 'not checked: the status address is not a URL', revoked: false };
	}
	if (!allowedUrl(url)) return { line: `not checked: ${url.href} is not https`, revoked: false };
	// The status must come from the issuer's own site, or anyone could vouch for it.
	if (!issuerId || !URL.canParse(issuerId) || new URL(issuerId).origin !== url.origin)
		return { line: 'not checked: the status address is not on the issuer’s site', revoked: false };
	let doc: StatusDocument | null;
	try {
		doc = readStatusDocument(await fetchJson(url.href));
	} catch (e) {
		return { line: `could not be checked (${(e as Error).message})`, revoked: false };
	}
	if (!doc || doc.credential !== credentialId)
		return {
			line: 'could not be checked (the status address answered something else)',
			revoked: false
		};
	if (doc.status === 'revoked')
		return {
			line: `REVOKED${doc.revokedAt ? ` on ${doc.revokedAt.slice(0, 10)}` : ''}${doc.reason ? `: ${doc.reason}` : ''}`,
			revoked: true
		};
	return { line: `valid (checked ${doc.checkedAt})`, revoked: false };
}

/** A document from the issuer's own site (https, or this machine), or why it cannot be had. */
async function issuerSiteDocument(url: string, issuerId: string): Promise<unknown> {
	const parsed = new URL(url);
	if (!allowedUrl(parsed)) throw new Error(`${url} is not https`);
	if (!URL.canParse(issuerId) || new URL(issuerId).origin !== parsed.origin)
		throw new Error(`${url} is not on the issuer’s site`);
	return fetchJson(parsed.href);
}

function issuerIdOf(credential: Record<string, unknown>): string | undefined {
	const issuer = credential.issuer;
	if (typeof issuer === 'string') return issuer;
	const id = (issuer as { id?: unknown } | null)?.id;
	return typeof id === 'string' ? id : undefined;
}

/** The issuer documents a Data Integrity proof (of a credential or a status list) is checked with. */
async function proofDocuments(
	signed: Record<string, unknown>,
	issuerId: string,
	jwks: unknown
): Promise<Map<string, unknown>> {
	if (jwks !== undefined) {
		if (!isJwks(jwks)) throw new Error('the key set is not a JWKS');
		return documentsFromJwks(issuerId, jwks);
	}
	const method = (signed.proof as { verificationMethod?: unknown } | undefined)?.verificationMethod;
	if (typeof method !== 'string') throw new Error('the proof names no verification method');
	return new Map([
		[issuerId, await issuerSiteDocument(issuerId, issuerId)],
		[method, await issuerSiteDocument(method, issuerId)]
	]);
}

/** The revocation bit, read through the issuer's signed status list. */
async function checkStatusList(
	credential: Record<string, unknown>,
	issuerId: string,
	jwks: unknown
): Promise<{ line: string; revoked: boolean }> {
	const entry = credential.credentialStatus as { statusListCredential?: unknown };
	if (typeof entry?.statusListCredential !== 'string')
		return { line: 'not checked: the status entry names no list', revoked: false };
	try {
		const list = (await issuerSiteDocument(entry.statusListCredential, issuerId)) as Record<
			string,
			unknown
		>;
		const documents = await proofDocuments(list, issuerId, jwks);
		documents.set(entry.statusListCredential, list);
		const status = await revokedByStatusList(credential, documents);
		if (!status.ok) return { line: `could not be checked: ${status.message}`, revoked: false };
		return status.revoked
			? { line: 'REVOKED (its bit is set in the issuer’s signed status list)', revoked: true }
			: { line: 'valid (not revoked in the issuer’s signed status list)', revoked: false };
	} catch (e) {
		return { line: `could not be checked (${(e as Error).message})`, revoked: false };
	}
}

type Checked =
	| { ok: true; credential: Record<string, unknown> }
	| {
			ok: false;
			reason: string;
			message: string;
			credential?: Record<string, unknown>;
	  };

const args = parseArgs();
const text = readInput(args.file);
const jwt = extractJwt(text);
let embedded: Record<string, unknown> | null = null;
if (!jwt)
	try {
		const json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
		if (json && typeof json === 'object' && !Array.isArray(json) && 'proof' in json)
			embedded = json;
	} catch {
		embedded = null;
	}
if (!jwt && !embedded) {
	console.log(
		'INVALID: this file does not hold a signed credential (a JWT, or JSON-LD with a proof).'
	);
	process.exit(1);
}

const claimedIssuer = jwt ? unverifiedIssuerId(jwt) : issuerIdOf(embedded!);
let proofName: string;
let from: string;
let keySet: unknown;
let result: Checked;
if (jwt) {
	const loaded = await loadJwks(args.jwks, claimedIssuer);
	({ from } = loaded);
	keySet = loaded.jwks;
	if (!isJwks(keySet)) stop(`${from} is not a key set (JWKS: {"keys": […]}).`);
	const verified = await verifyCredential(jwt, keySet);
	const alg = (() => {
		try {
			return String(
				(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { alg?: unknown })
					.alg
			);
		} catch {
			return '?';
		}
	})();
	proofName = `VC-JWT signature (${alg})`;
	result = verified;
} else {
	proofName = `embedded Data Integrity proof (${PROOF_CRYPTOSUITE})`;
	if (!claimedIssuer) {
		console.log('INVALID: the credential names no issuer.');
		process.exit(1);
	}
	let documents: Map<string, unknown>;
	if (args.jwks && !isUrl(args.jwks)) {
		({ jwks: keySet, from } = await loadJwks(args.jwks, claimedIssuer));
	} else if (args.jwks) stop('For a credential with an embedded proof, --jwks must be a file.');
	else from = claimedIssuer;
	try {
		documents = await proofDocuments(embedded!, claimedIssuer, keySet);
	} catch (e) {
		stop(`Cannot get the issuer’s keys: ${(e as Error).message}`);
	}
	const verified = await verifyEmbedded(embedded!, documents);
	const types = Array.isArray(embedded!.type) ? embedded!.type : [embedded!.type];
	result = !verified.ok
		? { ok: false, reason: 'bad-proof', message: verified.message }
		: !types.includes('OpenBadgeCredential') && !types.includes('AchievementCredential')
			? {
					ok: false,
					reason: 'not-a-credential',
					message: 'The proof is valid, but it is not an Open Badges certificate.'
				}
			: { ok: true, credential: embedded! };
}

const summary = result.credential ? credentialSummary(result.credential) : null;

let revoked = false;
let statusLine = 'not checked (--offline)';
if (result.ok && summary) {
	if (!summary.statusUrl) statusLine = 'none given';
	else if (args.offline) statusLine = 'not checked (--offline)';
	else if (summary.statusType === STATUS_TYPE)
		// A key file given on the command line is trusted for the list's proof too; otherwise the
		// issuer's profile and key document are read from its site.
		({ line: statusLine, revoked } = await checkStatusList(
			result.credential,
			summary.issuerId ?? '',
			args.jwks && !isUrl(args.jwks) ? keySet : undefined
		));
	else if (summary.statusType === LEGACY_STATUS_TYPE)
		({ line: statusLine, revoked } = await checkStatus(
			summary.statusUrl,
			summary.verificationUrl,
			summary.issuerId
		));
	else statusLine = `not checked: unknown status method “${summary.statusType ?? ''}”`;
}

console.log(`Proof checked: ${proofName}`);
if (result.ok && !revoked) console.log(`VALID: the proof matches the issuer’s key (${from}).`);
else if (result.ok)
	console.log('INVALID: the credential is genuine, but the issuer has revoked it.');
else console.log(`INVALID (${result.reason}): ${result.message}`);

if (summary) {
	const rows: [string, string | null][] = [
		['Holder', summary.holderName],
		[
			'Course',
			summary.courseTitle &&
				`${summary.courseTitle}${summary.courseVersion ? ` (version ${summary.courseVersion})` : ''}`
		],
		['Completed', summary.completedAt?.slice(0, 10) ?? null],
		['Final exam', summary.scorePercent && `${summary.scorePercent}%`],
		[
			'Issuer',
			summary.issuerName &&
				`${summary.issuerName}${summary.issuerUrl ? ` (${summary.issuerUrl})` : ''}`
		],
		['Issued', summary.issuedAt],
		['Verify at', summary.verificationUrl],
		['Status', result.ok ? statusLine : null]
	];
	for (const [label, value] of rows) if (value) console.log(`  ${`${label}:`.padEnd(12)}${value}`);
}
process.exit(result.ok && !revoked ? 0 : 1);
