// What an admin may change on an account: role, disabled, and the timed-quiz accommodation.
import { asc, eq } from 'drizzle-orm';
import { db } from '../db';
import { users, type Role } from '../db/schema';
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

export async function updateUser(
	id: string,
	change: { role?: Role; disabled?: boolean; timeMultiplier?: number }
): Promise<boolean> {
	const [row] = await db()
		.update(users)
		.set({
			...(change.role ? { role: change.role } : {}),
			...(change.disabled !== undefined ? { disabledAt: change.disabled ? new Date() : null } : {}),
			...(change.timeMultiplier !== undefined ? { timeMultiplier: change.timeMultiplier } : {})
		})
		.where(eq(users.id, id))
		.returning({ id: users.id });
	if (row && change.disabled) await invalidateUserSessions(id);
	return Boolean(row);
}
