// The session and device cookies: HttpOnly, SameSite=Lax, Path=/, and Secure with the __Host-
// prefix on https.
import type { Cookies } from '@sveltejs/kit';

const hostOnly = (url: URL, name: string) => (url.protocol === 'https:' ? `__Host-${name}` : name);

export function sessionCookieName(url: URL): string {
	return hostOnly(url, 'session');
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

// A year: the browser stays trusted across many sessions; each log-in from it renews the cookie.
const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** Outlives logging out on purpose: it marks the browser, not the session. */
export function deviceCookieName(url: URL): string {
	return hostOnly(url, 'device');
}

export function setDeviceCookie(cookies: Cookies, url: URL, token: string) {
	cookies.set(deviceCookieName(url), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:',
		maxAge: DEVICE_COOKIE_MAX_AGE_S
	});
}
