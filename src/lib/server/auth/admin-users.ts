// What an admin may change on an account: role, disabled, and the timed-quiz accommodation.
import { asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { db } from '../db';
import { accommodationChanges, roleChanges, users, type Role, type User } from '../db/schema';
import { normaliseEmail } from './accounts';
import { invalidateUserSessions } from './session';

export async function listUsers() {
	return db()
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			role: users.role,
			disabled: users.disabledAt,
			timeMultiplier: users.timeMultiplier
		})
		.from(users)
		.orderBy(asc(users.email));
}

/**
 * The one place an account's role, status or extra time changes (admin pages, CLI, tests).
 * Disabling also ends every session of the account. A role change is recorded in role_changes,
 * and a change of extra time in accommodation_changes, in the same transaction (with
 * `changedBy`, the admin; null from the command line).
 */
export async function updateUser(
	target: { id: string } | { email: string },
	change: { role?: Role; disabled?: boolean; timeMultiplier?: number },
	changedBy: string | null = null
): Promise<User | undefined> {
	const where =
		'id' in target ? eq(users.id, target.id) : eq(users.email, normaliseEmail(target.email));
	const user = await db().transaction(async (tx) => {
		// Locked so two admins changing the same role at once record two true "from" roles.
		const [before] = await tx
			.select({ role: users.role, timeMultiplier: users.timeMultiplier })
			.from(users)
			.where(where)
			.for('update');
		if (!before) return undefined;
		const [after] = await tx
			.update(users)
			.set({
				...(change.role ? { role: change.role } : {}),
				...(change.disabled !== undefined
					? { disabledAt: change.disabled ? new Date() : null }
					: {}),
				...(change.timeMultiplier !== undefined ? { timeMultiplier: change.timeMultiplier } : {})
			})
			.where(where)
			.returning();
		if (after && after.role !== before.role)
			await tx
				.insert(roleChanges)
				.values({ userId: after.id, changedBy, fromRole: before.role, toRole: after.role });
		// Site-wide extra time (no team): who set it, and when, is kept.
		if (after && after.timeMultiplier !== before.timeMultiplier)
			await tx
				.insert(accommodationChanges)
				.values({ userId: after.id, multiplier: after.timeMultiplier, changedBy });
		return after;
	});
	if (user && change.disabled) await invalidateUserSessions(user.id);
	return user;
}

const changer = alias(users, 'changer');

/** The latest role changes, newest first: whose, by whom, from what to what, and when. */
export async function recentRoleChanges(limit = 50) {
	return db()
		.select({
			id: roleChanges.id,
			userName: users.name,
			userEmail: users.email,
			changedBy: sql<string | null>`${changer.name}`,
			fromRole: roleChanges.fromRole,
			toRole: roleChanges.toRole,
			changedAt: roleChanges.changedAt
		})
		.from(roleChanges)
		.innerJoin(users, eq(users.id, roleChanges.userId))
		.leftJoin(changer, eq(changer.id, roleChanges.changedBy))
		.orderBy(desc(roleChanges.changedAt))
		.limit(limit);
}

export const setRole = (email: string, role: Role) => updateUser({ email }, { role });

export const setDisabled = (email: string, disabled: boolean) =>
	updateUser({ email }, { disabled });
