// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
// has logged in to an account carries a token signed for that account. Its log-in attempts are
// throttled under a key of their own, so failures from anywhere else, which lock the account for
// every unknown browser, cannot lock the account's owner out of a browser they already use.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { serverSecret } from './server-secret';

// A 128-bit nonce and an HMAC-SHA256 tag, both base64url: "<nonce>.<tag>".
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

async function tag(userId: string, nonce: string): Promise<Buffer> {
	const key = await serverSecret('device-cookie');
	return createHmac('sha256', key).update(`device-cookie:v1:${userId}:${nonce}`).digest();
}

/**
 * A new token naming the account. The account is not written in it: the tag binds the nonce to
 * the account id, so the token is worthless for any other account and tells its holder nothing.
 */
export async function issueDeviceToken(userId: string): Promise<string> {
	const nonce = randomBytes(16).toString('base64url');
	return `${nonce}.${(await tag(userId, nonce)).toString('base64url')}`;
}

/**
 * The device's own throttle id when `token` was issued by this server for this account, else
 * null (missing, malformed, forged, or made for another account).
 */
export async function trustedDeviceId(
	token: string | null | undefined,
	userId: string
): Promise<string | null> {
	if (!token || !TOKEN_SHAPE.test(token)) return null;
	const [nonce = '', given = ''] = token.split('.');
	const expected = await tag(userId, nonce);
	const actual = Buffer.from(given, 'base64url');
	return actual.length === expected.length && timingSafeEqual(actual, expected) ? nonce : null;
}
