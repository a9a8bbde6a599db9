// `npm run verify-credential -- <file> [--jwks <url-or-file>] [--offline]`
//
// Checks a certificate credential (the .jwt file from "Download credential", a JSON file holding
// it, or "-" for standard input) without an account:
// - the signature, against the issuer's public keys: the JWKS given with --jwks (a file or a URL),
//   else the one the issuer publishes at <origin of the credential's issuer id>/.well-known/jwks.json;
// - that the signed claims agree with the credential and that it is within its dates;
// - unless --offline, its status (valid or revoked) at the credential's status URL.
// With --jwks <file> and --offline nothing goes over the network.
//
// Prints the verdict with the reason, the holder, the course and the dates. Exit status: 0 valid,
// 1 invalid or revoked, 2 the check could not be made (unreadable file or keys, bad arguments).
import { readFileSync } from 'node:fs';
import {
	credentialSummary,
	extractJwt,
	readStatusDocument,
	STATUS_TYPE,
	verifyCredential,
	type StatusDocument
} from '../src/lib/server/certificates/credential';
import { isJwks, JWKS_PATH } from '../src/lib/server/certificates/keys';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const USAGE = `Usage: npm run verify-credential -- <file|-> [--jwks <url-or-file>] [--offline]

Checks a certificate credential (the .jwt file from "Download credential", a JSON file holding
it, or - for standard input): its signature against the issuer's published keys (or --jwks),
its claims and dates, and unless --offline its status (valid or revoked).

Options:
  --jwks <url-or-file>   the issuer's keys, instead of <issuer origin>${JWKS_PATH}
  --offline              do not fetch the status (with --jwks <file>: nothing goes over the network)
  -h, --help             this text

Exit status: 0 valid, 1 invalid or revoked, 2 the check could not be made.`;
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
	jwt: string
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
			const issuerId = unverifiedIssuerId(jwt);
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

const args = parseArgs();
const jwt = extractJwt(readInput(args.file));
if (!jwt) {
	console.log('INVALID: this file does not hold a signed credential (a JWT).');
	process.exit(1);
}
const { jwks, from } = await loadJwks(args.jwks, jwt);
if (!isJwks(jwks)) stop(`${from} is not a key set (JWKS: {"keys": […]}).`);

const result = await verifyCredential(jwt, jwks);
const summary =
	result.ok || result.credential
		? credentialSummary((result.ok ? result.credential : result.credential)!)
		: null;

let revoked = false;
let statusLine = 'not checked (--offline)';
if (result.ok && summary) {
	if (!summary.statusUrl) statusLine = 'none given';
	else if (summary.statusType !== STATUS_TYPE)
		statusLine = `not checked: unknown status method “${summary.statusType ?? ''}”`;
	else if (!args.offline)
		({ line: statusLine, revoked } = await checkStatus(
			summary.statusUrl,
			summary.verificationUrl,
			summary.issuerId
		));
}

if (result.ok && !revoked) console.log(`VALID: the signature matches the issuer’s key (${from}).`);
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
