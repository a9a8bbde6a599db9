// Sessions after Lucia's design: a random token in the cookie, only its SHA-256 in the
// database, 30-day sliding expiry renewed when under 15 days remain, and a 90-day absolute limit.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import { builtOnce, db } from '../db';
import { sessions, users, type Role } from '../db/schema';
import { unreadOf } from '../notifications/unread';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL = 30 * DAY;
export const SESSION_RENEW_BELOW = 15 * DAY;
export const SESSION_ABSOLUTE = 90 * DAY;

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: Role;
	/** The IANA zone times are shown in; null until the learner (or their browser) sets it. */
	timeZone: string | null;
}

export interface ValidSession {
	id: string;
	userId: string;
	expiresAt: Date;
	createdAt: Date;
}

export function generateSessionToken(): string {
	const bytes = new Uint8Array(25);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(token: string, userId: string, now = new Date()) {
	const session = {
		id: sessionIdFromToken(token),
		userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + SESSION_TTL)
	};
	await db().insert(sessions).values(session);
	return session;
}

const TOKEN_SHAPE = /^[a-z2-7]{40}$/;

// Every signed-in request runs this query: it is built once.
const sessionWithUser = builtOnce((database) =>
	database
		.select({
			session: sessions,
			user: {
				id: users.id,
				email: users.email,
				name: users.name,
				role: users.role,
				disabledAt: users.disabledAt,
				timeZone: users.timeZone
			},
			unread: unreadOf(users.id)
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare('session_with_user')
);

/**
 * One indexed query, which also counts the user's unread notifications for the header (every
 * page shows it, so it rides along instead of costing each page a second round trip). Writes
 * only when the sliding renewal is due.
 */
export async function validateSessionToken(
	token: string,
	now = new Date()
): Promise<{ session: ValidSession; user: SessionUser; unread: number } | null> {
	if (!TOKEN_SHAPE.test(token)) return null;
	const id = sessionIdFromToken(token);
	const [row] = await sessionWithUser().execute({ id });
	if (!row) return null;
	const { session, user, unread } = row;
	const absoluteEnd = session.createdAt.getTime() + SESSION_ABSOLUTE;
	if (
		now.getTime() >= session.expiresAt.getTime() ||
		now.getTime() >= absoluteEnd ||
		user.disabledAt
	) {
		await db().delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	if (session.expiresAt.getTime() - now.getTime() < SESSION_RENEW_BELOW) {
		session.expiresAt = new Date(Math.min(now.getTime() + SESSION_TTL, absoluteEnd));
		await db().update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
	}
	const { disabledAt: _disabled, ...safeUser } = user;
	return { session, user: safeUser, unread: Number(unread) };
}

export async function invalidateSession(sessionId: string): Promise<void> {
	await db().delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(userId: string): Promise<void> {
	await db().delete(sessions).where(eq(sessions.userId, userId));
}
