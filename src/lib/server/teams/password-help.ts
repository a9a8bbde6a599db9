// A coach cannot reset an athlete's password (that would let a coach take over the athlete's
// account and certificates); they can ask the site's admins to make a reset link, which an admin
// then passes on by hand. The request is a notification to every active admin.
import { and, eq, isNull } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { notifications, users } from '../db/schema';
import { reserveInHour } from '../auth/signup-limit';
import { adminUsersUrl } from '../../routes';
import { athleteForCoach } from './athlete';
import type { Coach } from './teams';

export type PasswordHelp = 'asked' | 'already-asked' | 'not-found';

/** Asks the admins for a reset link for the athlete; once an hour per athlete is enough. */
export async function askAdminsForResetLink(
	coach: Coach & { name: string },
	teamId: string,
	athleteId: string
): Promise<PasswordHelp> {
	const view = await athleteForCoach(coach, teamId, athleteId);
	if (!view) return 'not-found';
	if (!(await reserveInHour(`reset-ask:${athleteId}`, 1)).ok) return 'already-asked';
	const [athlete] = await db()
		.select({ email: users.email })
		.from(users)
		.where(eq(users.id, athleteId));
	const admins = await db()
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.role, 'admin'), isNull(users.disabledAt), isNull(users.deletedAt)));
	if (!admins.length || !athlete) return 'asked';
	await db()
		.insert(notifications)
		.values(
			admins.map((a) => ({
				userId: a.id,
				kind: 'password-reset.request' as const,
				message: `${coach.name} asks for a password reset link for ${view.athlete.name} (${athlete.email}), an athlete of ${view.team.name}.`,
				detail: 'Make the link on the Users page and pass it on to the athlete yourself.',
				href: `${adminUsersUrl}#user-${athleteId}`,
				createdAt: now()
			}))
		);
	return 'asked';
}
