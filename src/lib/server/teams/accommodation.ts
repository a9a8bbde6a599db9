// Extra time on timed quizzes, set by a coach for an athlete in one of their teams (admins set it
// on /admin/users). The same users.time_multiplier the quiz timer reads.
import { eq } from 'drizzle-orm';
import { db } from '../db';
import { users } from '../db/schema';
import { isMember, teamForCoach, type Coach } from './teams';

export const MAX_EXTRA_PERCENT = 300;

/** `extraPercent` 0–300: 50 gives half as long again. False when the athlete is not reachable. */
export async function setAccommodation(
	coach: Coach,
	teamId: string,
	athleteId: string,
	extraPercent: number
): Promise<boolean> {
	if (!Number.isInteger(extraPercent) || extraPercent < 0 || extraPercent > MAX_EXTRA_PERCENT)
		return false;
	const team = await teamForCoach(coach, teamId);
	if (!team || !(await isMember(team.id, athleteId))) return false;
	const updated = await db()
		.update(users)
		.set({ timeMultiplier: 1 + extraPercent / 100 })
		.where(eq(users.id, athleteId))
		.returning({ id: users.id });
	return updated.length > 0;
}

/** The multiplier as the percentage people read: 1.5 → 50. */
export const extraPercentOf = (multiplier: number) => Math.round((multiplier - 1) * 100);

/** The extra time an account has, as a percentage, for its own account page. */
export async function accommodationOf(userId: string): Promise<number> {
	const [row] = await db()
		.select({ m: users.timeMultiplier })
		.from(users)
		.where(eq(users.id, userId));
	return row ? extraPercentOf(row.m) : 0;
}
