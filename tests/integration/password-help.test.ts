// A coach cannot reset an athlete's password, but can ask the admins for a link: the request
// reaches every active admin's notifications, once an hour per athlete, and only for the coach's
// own athletes.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { notifications } from '../../src/lib/server/db/schema';
import { acceptInvitation, createInvitation } from '../../src/lib/server/teams/invitations';
import { askAdminsForResetLink } from '../../src/lib/server/teams/password-help';
import { createTeam } from '../../src/lib/server/teams/teams';
import { freshDatabase } from '../support/fresh-database';

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let n = 0;

beforeAll(async () => {
	({ db } = await freshDatabase());
});

async function person(role: 'learner' | 'coach' | 'admin', name: string) {
	const made = await createUser({
		name,
		email: `help-${++n}@example.com`,
		password: 'plum-tractor-71',
		role
	});
	if (!made.ok) throw new Error(made.message);
	return made.value;
}

describe('a coach asking the admins for a reset link', () => {
	it('reaches the admins once an hour, only for the coach’s own athletes', async () => {
		const admin = await person('admin', 'Site Admin');
		const coach = await person('coach', 'Coach Kim');
		const stranger = await person('coach', 'Other Coach');
		const athlete = await person('learner', 'Ada Runner');
		const team = (await createTeam(coach, { name: 'Harriers' }))!;
		const inv = (await createInvitation(coach, team.id, { days: 7, maxUses: 5 }))!;
		expect((await acceptInvitation(inv.code, athlete.id)).ok).toBe(true);

		expect(await askAdminsForResetLink(stranger, team.id, athlete.id)).toBe('not-found');
		expect(await askAdminsForResetLink(coach, team.id, admin.id)).toBe('not-found');
		expect(await askAdminsForResetLink(coach, team.id, athlete.id)).toBe('asked');
		expect(await askAdminsForResetLink(coach, team.id, athlete.id)).toBe('already-asked');

		const seen = await db.select().from(notifications).where(eq(notifications.userId, admin.id));
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({
			kind: 'password-reset.request',
			href: `/admin/users#user-${athlete.id}`
		});
		expect(seen[0]!.message).toContain('Coach Kim asks for a password reset link for Ada Runner');
		// Nothing reaches the athlete or the coach, and no password changed hands.
		expect(await db.select().from(notifications).where(eq(notifications.userId, coach.id))).toEqual(
			[]
		);
	});
});
