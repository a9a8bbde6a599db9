// The session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure with the __Host- prefix on https.
import type { Cookies } from '@sveltejs/kit';

export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-session' : 'session';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date) {
	cookies.set(sessionCookieName(url), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL) {
	cookies.delete(sessionCookieName(url), {
		path: '/',
		secure: url.protocol === 'https:'
	});
}
