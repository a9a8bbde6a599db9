// Starts a session for a user and sets its cookie: shared by sign-up and log-in.
import type { Cookies } from '@sveltejs/kit';
import { setSessionCookie } from './cookie';
import { createSession, generateSessionToken } from '../auth/session';

export async function startSession(cookies: Cookies, url: URL, userId: string): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(token, userId);
	setSessionCookie(cookies, url, token, session.expiresAt);
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
