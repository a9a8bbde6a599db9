// Starts a session for a user and sets its cookies: shared by sign-up and log-in.
import type { Cookies } from '@sveltejs/kit';
import { deviceCookieName, setDeviceCookie, setSessionCookie } from './cookie';
import { issueDeviceToken, trustedDeviceId } from '../auth/device';
import { createSession, generateSessionToken } from '../auth/session';

export async function startSession(cookies: Cookies, url: URL, userId: string): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(token, userId);
	setSessionCookie(cookies, url, token, session.expiresAt);
	await rememberDevice(cookies, url, userId);
}

/**
 * This browser has proved it knows the password: from now on it is a trusted device of the
 * account. A device cookie it already holds for this account is kept (and renewed), so its
 * throttle key stays the same; one for another account is replaced (one account per browser).
 */
async function rememberDevice(cookies: Cookies, url: URL, userId: string): Promise<void> {
	const held = cookies.get(deviceCookieName(url));
	const token = (await trustedDeviceId(held, userId)) ? held! : await issueDeviceToken(userId);
	setDeviceCookie(cookies, url, token);
}

/**
 * Only paths on this site are followed after log-in. Resolving against a dummy origin catches
 * every trick that leaves it (`//host`, `/\\host`, tabs or newlines that browsers strip).
 */
export function safeRedirectTarget(target: string | null, fallback = '/dashboard'): string {
	const unsafeChar = (c: string) => c < ' ' || c === '\u007f' || c === '\\';
	if (!target || !target.startsWith('/') || [...target].some(unsafeChar)) return fallback;
	const base = 'http://this.invalid';
	let url: URL;
	try {
		url = new URL(target, base);
	} catch {
		return fallback;
	}
	// Dot segments are resolved away, so "/..//evil.test" becomes the path "//evil.test", which a
	// browser reads as another host: the result must start with exactly one slash.
	if (url.origin !== base || !url.pathname.startsWith('/') || url.pathname.startsWith('//'))
		return fallback;
	return url.pathname + url.search + url.hash;
}
