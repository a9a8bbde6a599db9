// Asking to become a coach: a user writes a short note, an admin approves or declines it, and the
// user reads the outcome on their account page. Approval changes the role and records it in
// role_changes in the same transaction, as every role change is.
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { can } from '../auth/can';
import { now } from '../clock';
import { db } from '../db';
import { isUuid } from '../db/ids';
import { notifyCoachRequestOutcome } from '../notifications/notifications';
import { kickMailer } from '../jobs/queue';
import { coachRequests, roleChanges, users, type CoachRequest, type Role } from '../db/schema';

type Person = { id: string; role: Role };

export type RequestResult = { ok: true } | { ok: false; message: string };

export async function requestCoachRole(user: Person, note: string): Promise<RequestResult> {
	if (user.role !== 'learner') return { ok: false, message: 'You can already coach teams.' };
	const inserted = await db()
		.insert(coachRequests)
		.values({ userId: user.id, note, createdAt: now() })
		// The partial unique index keeps one pending request per person.
		.onConflictDoNothing()
		.returning();
	return inserted.length
		? { ok: true }
		: { ok: false, message: 'Your request is already waiting for an admin.' };
}

/** The user's latest request, for their account page. */
export async function latestCoachRequest(userId: string): Promise<CoachRequest | undefined> {
	const [row] = await db()
		.select()
		.from(coachRequests)
		.where(eq(coachRequests.userId, userId))
		.orderBy(desc(coachRequests.createdAt))
		.limit(1);
	return row;
}

/** Requests waiting for a decision, oldest first. Admins only. */
export async function pendingCoachRequests(admin: Person) {
	if (!can(admin, 'view', { kind: 'administration' })) return [];
	return db()
		.select({
			id: coachRequests.id,
			note: coachRequests.note,
			createdAt: coachRequests.createdAt,
			name: users.name,
			email: users.email,
			role: users.role
		})
		.from(coachRequests)
		.innerJoin(users, eq(users.id, coachRequests.userId))
		.where(eq(coachRequests.status, 'pending'))
		.orderBy(asc(coachRequests.createdAt));
}

const decider = alias(users, 'decider');

/** The latest decisions, newest first. Admins only. */
export async function decidedCoachRequests(admin: Person, limit = 20) {
	if (!can(admin, 'view', { kind: 'administration' })) return [];
	return db()
		.select({
			id: coachRequests.id,
			status: coachRequests.status,
			reason: coachRequests.reason,
			decidedAt: coachRequests.decidedAt,
			name: users.name,
			email: users.email,
			decidedBy: decider.name
		})
		.from(coachRequests)
		.innerJoin(users, eq(users.id, coachRequests.userId))
		.leftJoin(decider, eq(decider.id, coachRequests.decidedBy))
		.where(ne(coachRequests.status, 'pending'))
		.orderBy(desc(coachRequests.decidedAt))
		.limit(limit);
}

/**
 * Approves (the user becomes a coach, recorded in role_changes) or declines (with the admin's
 * optional reason) a pending request. False when it is not pending or the caller is no admin.
 */
export async function decideCoachRequest(
	admin: Person,
	requestId: string,
	decision: 'approved' | 'declined',
	reason?: string
): Promise<boolean> {
	if (!can(admin, 'change', { kind: 'administration' }) || !isUuid(requestId)) return false;
	const decided = await db().transaction(async (tx) => {
		const [request] = await tx
			.update(coachRequests)
			.set({ status: decision, reason: reason || null, decidedBy: admin.id, decidedAt: now() })
			.where(and(eq(coachRequests.id, requestId), eq(coachRequests.status, 'pending')))
			.returning();
		if (!request) return false;
		if (decision === 'approved') {
			const [before] = await tx
				.select({ role: users.role })
				.from(users)
				.where(eq(users.id, request.userId))
				.for('update');
			// An admin stays an admin (which can coach already); only a learner is promoted.
			if (before?.role === 'learner') {
				await tx.update(users).set({ role: 'coach' }).where(eq(users.id, request.userId));
				await tx.insert(roleChanges).values({
					userId: request.userId,
					changedBy: admin.id,
					fromRole: 'learner',
					toRole: 'coach',
					changedAt: now()
				});
			}
		}
		await notifyCoachRequestOutcome(
			{ userId: request.userId, approved: decision === 'approved' },
			tx
		);
		return true;
	});
	if (decided) await kickMailer();
	return decided;
}
