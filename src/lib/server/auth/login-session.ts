// Starts a session for a user and sets its cookie: shared by sign-up and log-in.
import type { Cookies } from '@sveltejs/kit';
import { setSessionCookie } from './cookie';
import { createSession, generateSessionToken } from './session';

export async function startSession(cookies: Cookies, url: URL, userId: string): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(token, userId);
	setSessionCookie(cookies, url, token, session.expiresAt);
}

/** Only same-site paths are followed after log-in, never another origin. */
export function safeRedirectTarget(target: string | null, fallback = '/dashboard'): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\'))
		return fallback;
	return target;
}
