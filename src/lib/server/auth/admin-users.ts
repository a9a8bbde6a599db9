// What an admin may change on an account: role, disabled, and the timed-quiz accommodation.
import { asc, eq } from 'drizzle-orm';
import { db } from '../db';
import { users, type Role, type User } from '../db/schema';
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
 * Disabling also ends every session of the account.
 */
export async function updateUser(
	target: { id: string } | { email: string },
	change: { role?: Role; disabled?: boolean; timeMultiplier?: number }
): Promise<User | undefined> {
	const [user] = await db()
		.update(users)
		.set({
			...(change.role ? { role: change.role } : {}),
			...(change.disabled !== undefined ? { disabledAt: change.disabled ? new Date() : null } : {}),
			...(change.timeMultiplier !== undefined ? { timeMultiplier: change.timeMultiplier } : {})
		})
		.where('id' in target ? eq(users.id, target.id) : eq(users.email, normaliseEmail(target.email)))
		.returning();
	if (user && change.disabled) await invalidateUserSessions(user.id);
	return user;
}

export const setRole = (email: string, role: Role) => updateUser({ email }, { role });

export const setDisabled = (email: string, disabled: boolean) =>
	updateUser({ email }, { disabled });
