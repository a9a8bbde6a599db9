import { createHash } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { newVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	buildCredential,
	certificateUrls,
	codeFromVerificationUrl,
	credentialSummary,
	extractJwt,
	issueCredential,
	issuerProfile,
	MAX_CREDENTIAL_LENGTH,
	OB_CONTEXT,
	readStatusDocument,
	signCredential,
	STATUS_TYPE,
	statusDocument,
	VC_CONTEXT_V2,
	verifyCredential,
	type CredentialInput
} from '../../src/lib/server/certificates/credential';
import {
	generateSigningJwk,
	keyIdUri,
	loadSigningKey,
	publicJwks,
	SIGNING_KEY_ENV,
	type SigningKey
} from '../../src/lib/server/certificates/keys';

const SITE = 'https://learn.example.org';

async function makeKey(): Promise<SigningKey> {
	const jwk = await generateSigningJwk();
	return loadSigningKey({
		dataDir: '/nonexistent',
		env: { [SIGNING_KEY_ENV]: JSON.stringify(jwk) }
	});
}

function input(overrides: Partial<CredentialInput> = {}): CredentialInput {
	return {
		siteUrl: SITE,
		issuer: { name: 'Stride Academy' },
		verificationCode: newVerificationCode(),
		holder: { name: 'Zoë Łukasz-Ødegård' },
		course: {
			slug: 'hip-flexor-pain',
			title: 'Hip flexor and psoas pain in runners',
			version: 1,
			description: 'What the hip flexors are, why they hurt in runners, and what helps.',
			language: 'en'
		},
		result: { scorePercent: 92.5, passPercent: 80 },
		completedAt: new Date('2025-03-12T10:15:30.123Z'),
		issuedAt: new Date('2025-03-12T10:15:31.999Z'),
		statusListIndex: 7,
		...overrides
	};
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unb64 = (part: string) =>
	JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Replaces the payload of a JWT, keeping its header and signature. */
function withPayload(jwt: string, change: (payload: Record<string, unknown>) => void): string {
	const [h, p, s] = jwt.split('.') as [string, string, string];
	const payload = unb64(p);
	change(payload);
	return `${h}.${b64(payload)}.${s}`;
}

describe('buildCredential', () => {
	it('builds an Open Badges 3.0 AchievementCredential', () => {
		const i = input();
		const c = buildCredential(i);
		const urls = certificateUrls(SITE, i.verificationCode);
		expect(c['@context']).toEqual([VC_CONTEXT_V2, OB_CONTEXT]);
		expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
		expect(c.id).toBe(`${SITE}/verify/${i.verificationCode}`);
		expect(c.issuer).toEqual({
			id: `${SITE}/issuer`,
			type: ['Profile'],
			name: 'Stride Academy',
			url: `${SITE}/`
		});
		// Whole seconds, so that nbf equals validFrom exactly.
		expect(c.validFrom).toBe('2025-03-12T10:15:31Z');
		expect(c.awardedDate).toBe('2025-03-12T10:15:30Z');
		expect(c).not.toHaveProperty('validUntil');
		expect(c.credentialSubject.type).toEqual(['AchievementSubject']);
		expect(c.credentialSubject.id).toMatch(
			/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
		);
		expect(c.credentialSubject.identifier).toEqual([
			{
				type: 'IdentityObject',
				identityType: 'name',
				hashed: false,
				identityHash: 'Zoë Łukasz-Ødegård'
			}
		]);
		const a = c.credentialSubject.achievement;
		expect(a).toMatchObject({
			id: `${SITE}/courses/hip-flexor-pain?version=1`,
			type: ['Achievement'],
			achievementType: 'CertificateOfCompletion',
			name: 'Hip flexor and psoas pain in runners',
			version: '1',
			inLanguage: 'en',
			criteria: { id: `${SITE}/courses/hip-flexor-pain` }
		});
		expect(a.criteria.narrative).toContain('80%');
		expect(a.resultDescription).toEqual([
			{
				id: expect.stringMatching(/^urn:uuid:/) as string,
				type: ['ResultDescription'],
				name: 'Final exam score',
				resultType: 'Percent',
				valueMin: '0',
				valueMax: '100',
				requiredValue: '80'
			}
		]);
		expect(c.credentialSubject.result).toEqual([
			{ type: ['Result'], resultDescription: a.resultDescription[0]!.id, value: '92.5' }
		]);
		// W3C Bitstring Status List: the certificate's bit in the site's first list.
		expect(c.credentialStatus).toEqual({
			id: `${SITE}/status-lists/1#7`,
			type: STATUS_TYPE,
			statusPurpose: 'revocation',
			statusListIndex: '7',
			statusListCredential: `${SITE}/status-lists/1`
		});
		expect(urls.statusUrl).toBe(`${SITE}/verify/${i.verificationCode}/status`);
	});

	it('keeps the holder id across re-issues of one certificate and differs between certificates', () => {
		const first = input();
		const again = buildCredential({ ...first, holder: { name: 'New Name' }, issuedAt: new Date() });
		expect(again.credentialSubject.id).toBe(buildCredential(first).credentialSubject.id);
		expect(buildCredential(input()).credentialSubject.id).not.toBe(again.credentialSubject.id);
	});

	it('adds a salted email hash a verifier can check, when an email is given', () => {
		const c = buildCredential(input({ holder: { name: 'Ann', email: ' Ann@Example.com ' } }));
		const email = c.credentialSubject.identifier.find((x) => x.identityType === 'emailAddress')!;
		expect(email.hashed).toBe(true);
		expect(JSON.stringify(c)).not.toMatch(/example\.com/i);
		const expected = createHash('sha256')
			.update('ann@example.com' + email.salt)
			.digest('hex');
		expect(email.identityHash).toBe(`sha256$${expected}`);
	});

	it('refuses impossible input', () => {
		expect(() => buildCredential(input({ verificationCode: 'nope' }))).toThrow(TypeError);
		expect(() => buildCredential(input({ holder: { name: '  ' } }))).toThrow(TypeError);
		expect(() => buildCredential(input({ result: { scorePercent: 101 } }))).toThrow(RangeError);
		expect(() => buildCredential(input({ issuedAt: new Date('nonsense') }))).toThrow(TypeError);
	});

	it('describes the issuer as an OB 3.0 Profile at its id', () => {
		const profile = issuerProfile(SITE, { name: 'Stride Academy', email: 'hello@example.org' });
		expect(profile).toEqual({
			'@context': [VC_CONTEXT_V2, OB_CONTEXT],
			id: `${SITE}/issuer`,
			type: ['Profile'],
			name: 'Stride Academy',
			url: `${SITE}/`,
			email: 'hello@example.org'
		});
		expect(profile.id).toBe(buildCredential(input()).issuer.id);
	});
});

describe('signing (VC-JWT, OB 3.0 §8.2)', () => {
	it('signs with EdDSA, a kid URI and the registered claims, the credential as the payload', async () => {
		const key = await makeKey();
		const { credential, jwt } = await issueCredential(input(), key);
		expect(decodeProtectedHeader(jwt)).toEqual({
			alg: 'EdDSA',
			kid: keyIdUri(SITE, key.kid),
			typ: 'JWT'
		});
		const payload = unb64(jwt.split('.')[1]!);
		expect(payload).toMatchObject({
			iss: credential.issuer.id,
			jti: credential.id,
			sub: credential.credentialSubject.id,
			nbf: Date.parse(credential.validFrom) / 1000,
			'@context': credential['@context'],
			credentialSubject: credential.credentialSubject
		});
		expect(payload).not.toHaveProperty('vc');
		expect(payload).not.toHaveProperty('exp');
		expect(payload).not.toHaveProperty('iat');
	});

	it('maps validUntil to exp', async () => {
		const key = await makeKey();
		const validUntil = new Date('2030-01-01T00:00:00Z');
		const { jwt } = await issueCredential(input({ validUntil }), key);
		expect(unb64(jwt.split('.')[1]!).exp).toBe(validUntil.getTime() / 1000);
	});
});

describe('verifyCredential', () => {
	it('accepts a genuine credential and returns what it says', async () => {
		const key = await makeKey();
		const i = input();
		const { credential, jwt } = await issueCredential(i, key);
		const result = await verifyCredential(jwt, publicJwks(SITE, key), {
			expectedIssuerId: `${SITE}/issuer`
		});
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.credential).toEqual(JSON.parse(JSON.stringify(credential)));
		expect(result.payload.jti).toBe(credential.id);
		expect(credentialSummary(result.credential)).toEqual({
			verificationUrl: credential.id,
			holderName: 'Zoë Łukasz-Ødegård',
			courseTitle: 'Hip flexor and psoas pain in runners',
			achievementId: credential.credentialSubject.achievement.id,
			courseVersion: '1',
			completedAt: '2025-03-12T10:15:30Z',
			issuedAt: '2025-03-12T10:15:31Z',
			scorePercent: '92.5',
			issuerId: `${SITE}/issuer`,
			issuerName: 'Stride Academy',
			issuerUrl: `${SITE}/`,
			statusUrl: `${SITE}/status-lists/1#7`,
			statusType: STATUS_TYPE
		});
		expect(codeFromVerificationUrl(credential.id, SITE)).toBe(i.verificationCode);
	});

	it('finds the key by the short kid too, and accepts retired keys still published', async () => {
		const [current, retired] = [await makeKey(), await makeKey()];
		const { jwt } = await issueCredential(input(), retired);
		const jwks = publicJwks(SITE, current, [retired]);
		expect((await verifyCredential(jwt, jwks)).ok).toBe(true);
		const shortKids = { keys: jwks.keys.map((k) => ({ ...k, kid: k.kid.split('/').pop() })) };
		expect((await verifyCredential(jwt, shortKids)).ok).toBe(true);
	});

	it.each([
		[
			'the holder name',
			(p: Record<string, unknown>) =>
				((
					p.credentialSubject as { identifier: { identityHash: string }[] }
				).identifier[0]!.identityHash = 'Mallory')
		],
		[
			'the score',
			(p: Record<string, unknown>) =>
				((p.credentialSubject as { result: { value: string }[] }).result[0]!.value = '100')
		],
		[
			'the course',
			(p: Record<string, unknown>) =>
				((p.credentialSubject as { achievement: { name: string } }).achievement.name =
					'Brain surgery')
		],
		['the date', (p: Record<string, unknown>) => (p.awardedDate = '2020-01-01T00:00:00Z')],
		[
			'the status address',
			(p: Record<string, unknown>) =>
				((p.credentialStatus as { id: string }).id = 'https://evil.example/ok')
		],
		['an added field', (p: Record<string, unknown>) => (p.validUntil = '2099-01-01T00:00:00Z')]
	])('rejects a credential whose %s was changed: bad signature', async (_what, change) => {
		const key = await makeKey();
		const { jwt } = await issueCredential(input(), key);
		const result = await verifyCredential(withPayload(jwt, change), publicJwks(SITE, key));
		expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
		if (!result.ok) {
			expect(result.message).toMatch(/changed after it was issued/);
			expect(result).not.toHaveProperty('credential');
		}
	});

	it('rejects a changed signature or header', async () => {
		const key = await makeKey();
		const { jwt } = await issueCredential(input(), key);
		const [h, p, s] = jwt.split('.') as [string, string, string];
		const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
		expect(await verifyCredential(`${h}.${p}.${flipped}`, publicJwks(SITE, key))).toMatchObject({
			ok: false,
			reason: 'bad-signature'
		});
		const header = b64({ ...unb64(h), kid: `${String(unb64(h).kid)}x` });
		expect(await verifyCredential(`${header}.${p}.${s}`, publicJwks(SITE, key))).toMatchObject({
			ok: false,
			reason: 'unknown-key'
		});
	});

	it('rejects a credential signed with another key', async () => {
		const [ours, theirs] = [await makeKey(), await makeKey()];
		// Their own kid: not a key we publish.
		const { jwt } = await issueCredential(input(), theirs);
		expect(await verifyCredential(jwt, publicJwks(SITE, ours))).toMatchObject({
			ok: false,
			reason: 'unknown-key'
		});
		// Our kid, their key: the signature fails.
		const forged = await issueCredential(input(), {
			kid: ours.kid,
			privateKey: theirs.privateKey,
			publicJwk: ours.publicJwk
		});
		const result = await verifyCredential(forged.jwt, publicJwks(SITE, ours));
		expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
	});

	it('rejects an unknown kid and a key set without Ed25519 keys', async () => {
		const key = await makeKey();
		const { jwt } = await issueCredential(input(), key);
		const [h, p, s] = jwt.split('.') as [string, string, string];
		const unknownKid = `${b64({ ...unb64(h), kid: `${SITE}/.well-known/jwks.json#nope` })}.${p}.${s}`;
		const result = await verifyCredential(unknownKid, publicJwks(SITE, key));
		expect(result).toMatchObject({ ok: false, reason: 'unknown-key' });
		if (!result.ok) expect(result.message).toMatch(/does not publish/);
		expect(await verifyCredential(jwt, { keys: [] })).toMatchObject({
			ok: false,
			reason: 'unknown-key'
		});
		expect(
			await verifyCredential(jwt, { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] })
		).toMatchObject({
			ok: false,
			reason: 'unknown-key'
		});
	});

	it('rejects other algorithms, including "none"', async () => {
		const key = await makeKey();
		const { jwt } = await issueCredential(input(), key);
		const [h, p] = jwt.split('.') as [string, string];
		for (const alg of ['none', 'HS256', 'ES256', 'PS256']) {
			const token = `${b64({ ...unb64(h), alg })}.${p}.${alg === 'none' ? 'x' : 'c2ln'}`;
			expect(await verifyCredential(token, publicJwks(SITE, key))).toMatchObject({
				ok: false,
				reason: 'unsupported-algorithm'
			});
		}
	});

	it('answers malformed input with a clear reason, never an exception', async () => {
		const jwks = publicJwks(SITE, await makeKey());
		const inputs: unknown[] = [
			'',
			'hello',
			'a.b',
			'a.b.c.d',
			'a.b.c',
			'!!!.???.###',
			`${b64('not an object')}.e30.c2ln`,
			`e30.e30.c2ln`, // {} header: no alg
			'x'.repeat(MAX_CREDENTIAL_LENGTH + 1),
			undefined,
			42
		];
		for (const value of inputs) {
			const result = await verifyCredential(value as string, jwks);
			expect(result.ok, String(value).slice(0, 20)).toBe(false);
			if (!result.ok) {
				expect(['malformed', 'unsupported-algorithm']).toContain(result.reason);
				expect(result.message.length).toBeGreaterThan(10);
			}
		}
		await expect(verifyCredential('a.b.c', { nope: true })).rejects.toThrow(TypeError);
	});

	it('rejects a genuine signature over something that is not an Open Badges credential', async () => {
		const key = await makeKey();
		const header = { alg: 'EdDSA' as const, kid: keyIdUri(SITE, key.kid), typ: 'JWT' };
		const plain = await new SignJWT({ hello: 'world' })
			.setProtectedHeader(header)
			.sign(key.privateKey);
		expect(await verifyCredential(plain, publicJwks(SITE, key))).toMatchObject({
			ok: false,
			reason: 'not-a-credential'
		});
		const credential = buildCredential(input());
		const notOb = await new SignJWT({ ...credential, type: ['VerifiableCredential'] })
			.setProtectedHeader(header)
			.sign(key.privateKey);
		expect(await verifyCredential(notOb, publicJwks(SITE, key))).toMatchObject({
			ok: false,
			reason: 'not-a-credential'
		});
	});

	it('rejects signed claims that contradict the credential', async () => {
		const key = await makeKey();
		const credential = buildCredential(input());
		const header = { alg: 'EdDSA' as const, kid: keyIdUri(SITE, key.kid), typ: 'JWT' };
		const nbf = Date.parse(credential.validFrom) / 1000;
		const variants = [
			{
				iss: 'https://other.example/issuer',
				jti: credential.id,
				sub: credential.credentialSubject.id,
				nbf
			},
			{ iss: credential.issuer.id, jti: 'urn:other', sub: credential.credentialSubject.id, nbf },
			{ iss: credential.issuer.id, jti: credential.id, sub: 'urn:someone-else', nbf },
			{
				iss: credential.issuer.id,
				jti: credential.id,
				sub: credential.credentialSubject.id,
				nbf: nbf - 3600
			},
			{
				iss: credential.issuer.id,
				jti: credential.id,
				sub: credential.credentialSubject.id,
				nbf,
				exp: nbf + 60
			}
		];
		for (const claims of variants) {
			const jwt = await new SignJWT({ ...credential, ...claims })
				.setProtectedHeader(header)
				.sign(key.privateKey);
			const result = await verifyCredential(jwt, publicJwks(SITE, key));
			expect(result).toMatchObject({ ok: false, reason: 'claims-mismatch' });
		}
	});

	it('accepts the VCDM 1.1 style with the credential under "vc"', async () => {
		const key = await makeKey();
		const credential = buildCredential(input());
		const jwt = await new SignJWT({ vc: credential })
			.setProtectedHeader({ alg: 'EdDSA', kid: keyIdUri(SITE, key.kid), typ: 'JWT' })
			.setIssuer(credential.issuer.id)
			.setJti(credential.id)
			.setSubject(credential.credentialSubject.id)
			.setNotBefore(Date.parse(credential.validFrom) / 1000)
			.sign(key.privateKey);
		expect(await verifyCredential(jwt, publicJwks(SITE, key))).toMatchObject({ ok: true });
	});

	it('says when a credential has expired or is not valid yet, and shows what it says', async () => {
		const key = await makeKey();
		const jwks = publicJwks(SITE, key);
		const expiring = await issueCredential(
			input({
				issuedAt: new Date('2024-01-01T00:00:00Z'),
				validUntil: new Date('2025-01-01T00:00:00Z')
			}),
			key
		);
		const expired = await verifyCredential(expiring.jwt, jwks, {
			now: new Date('2025-06-01T00:00:00Z')
		});
		expect(expired).toMatchObject({
			ok: false,
			reason: 'expired',
			message: 'The credential expired on 2025-01-01.'
		});
		if (!expired.ok)
			expect(credentialSummary(expired.credential!).holderName).toBe('Zoë Łukasz-Ødegård');
		expect(
			await verifyCredential(expiring.jwt, jwks, { now: new Date('2024-06-01T00:00:00Z') })
		).toMatchObject({ ok: true });
		expect(
			await verifyCredential(expiring.jwt, jwks, { now: new Date('2023-12-31T00:00:00Z') })
		).toMatchObject({
			ok: false,
			reason: 'not-yet-valid'
		});
		// A little clock difference between servers is tolerated.
		expect(
			await verifyCredential(expiring.jwt, jwks, { now: new Date('2023-12-31T23:59:30Z') })
		).toMatchObject({ ok: true });
	});

	it('rejects a genuine credential of another issuer when the issuer is expected', async () => {
		const key = await makeKey();
		const { jwt } = await issueCredential(input(), key);
		const result = await verifyCredential(jwt, publicJwks(SITE, key), {
			expectedIssuerId: 'https://elsewhere.example/issuer'
		});
		expect(result).toMatchObject({ ok: false, reason: 'wrong-issuer' });
	});

	it('signs again with the same data into a credential that verifies', async () => {
		const key = await makeKey();
		const credential = buildCredential(input());
		const jwt = await signCredential(credential, key, SITE);
		expect((await verifyCredential(jwt, publicJwks(SITE, key))).ok).toBe(true);
	});
});

describe('reading credential files', () => {
	it('finds the JWT in a bare file, JSON wrappers and an enveloped credential', async () => {
		const { jwt } = await issueCredential(input(), await makeKey());
		expect(extractJwt(jwt)).toBe(jwt);
		expect(extractJwt(`\uFEFF  ${jwt}\r\n`)).toBe(jwt);
		expect(extractJwt(JSON.stringify({ jwt }))).toBe(jwt);
		expect(extractJwt(JSON.stringify({ credential: jwt }))).toBe(jwt);
		const enveloped = {
			'@context': VC_CONTEXT_V2,
			id: `data:application/vc+jwt,${jwt}`,
			type: 'EnvelopedVerifiableCredential'
		};
		expect(extractJwt(JSON.stringify(enveloped))).toBe(jwt);
		for (const bad of [
			'',
			'hello',
			'{',
			'{"jwt": 1}',
			'[]',
			JSON.stringify({ jwt: 'a.b' }),
			'x'.repeat(200_000)
		])
			expect(extractJwt(bad)).toBeNull();
	});

	it('reads only verification URLs of this site', () => {
		const code = newVerificationCode();
		expect(codeFromVerificationUrl(`${SITE}/verify/${code}`, SITE)).toBe(code);
		expect(codeFromVerificationUrl(`https://evil.example/verify/${code}`, SITE)).toBeNull();
		expect(codeFromVerificationUrl(`${SITE}/verify/${code}?x=1`, SITE)).toBeNull();
		expect(codeFromVerificationUrl(`${SITE}/verify/not-a-code`, SITE)).toBeNull();
		expect(codeFromVerificationUrl('not a url', SITE)).toBeNull();
	});
});

describe('status documents', () => {
	it('say valid, or revoked with reason and date, and read back', () => {
		const code = newVerificationCode();
		const now = new Date('2025-04-01T12:00:00.500Z');
		const valid = statusDocument({
			siteUrl: SITE,
			verificationCode: code,
			revokedAt: null,
			reason: 'ignored',
			now
		});
		expect(valid).toEqual({
			id: `${SITE}/verify/${code}/status`,
			credential: `${SITE}/verify/${code}`,
			status: 'valid',
			reason: null,
			revokedAt: null,
			checkedAt: '2025-04-01T12:00:00Z'
		});
		const revoked = statusDocument({
			siteUrl: SITE,
			verificationCode: code,
			revokedAt: new Date('2025-03-30T08:00:00Z'),
			reason: 'Issued in error',
			now
		});
		expect(revoked).toMatchObject({
			status: 'revoked',
			reason: 'Issued in error',
			revokedAt: '2025-03-30T08:00:00Z'
		});
		expect(readStatusDocument(JSON.parse(JSON.stringify(revoked)))).toEqual(revoked);
		expect(readStatusDocument({ ...valid, status: 'fine' })).toBeNull();
		expect(readStatusDocument('valid')).toBeNull();
	});
});
