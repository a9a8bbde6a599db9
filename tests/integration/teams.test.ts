// Teams, invitations, consent and assignments on PostgreSQL, with the fixture course.
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recentRoleChanges, updateUser } from '../../src/lib/server/auth/admin-users';
import { advanceClock, resetClock } from '../../src/lib/server/clock';
import type { Course } from '../../src/lib/server/content/types';
import { enrolments, lessonProgress } from '../../src/lib/server/db/schema';
import {
	assignCourse,
	assignmentsForAthlete,
	withdrawAssignment
} from '../../src/lib/server/teams/assignments';
import {
	acceptInvitation,
	createInvitation,
	previewInvitation,
	revokeInvitation
} from '../../src/lib/server/teams/invitations';
import {
	isMember,
	leaveTeam,
	membershipsOf,
	rosterOf,
	teamForCoach
} from '../../src/lib/server/teams/teams';
import { coachWithTeam, person, useFixtureCourse } from '../support/builders';
import { freshDatabase } from '../support/fresh-database';

const DAY = 24 * 60 * 60 * 1000;

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let course: Course;

beforeAll(async () => {
	({ db } = await freshDatabase());
	course = useFixtureCourse();
});
afterEach(() => resetClock());

const refusal = (r: { ok: boolean; message?: string }) => (r.ok ? 'accepted' : r.message);

const teamWithInvite = (maxUses = 5, days = 7) =>
	coachWithTeam([], { team: 'Harriers', season: '2027', maxUses, days });

describe('invitations', () => {
	it('joins only on accept, and shows the coach before that', async () => {
		const { team, inv } = await teamWithInvite();
		const athlete = await person();
		const preview = await previewInvitation(inv.code, athlete.id);
		expect(preview).toMatchObject({ ok: true, team: { id: team.id } });
		expect(await isMember(team.id, athlete.id)).toBe(false);
		expect(await acceptInvitation(inv.code, athlete.id)).toEqual({
			ok: true,
			teamId: team.id,
			role: 'athlete'
		});
		expect(await isMember(team.id, athlete.id)).toBe(true);
		expect((await rosterOf(team.id)).map((r) => r.id)).toEqual([athlete.id]);
	});

	it('refuses a second acceptance by the same athlete without using up the link', async () => {
		const { team, inv } = await teamWithInvite(2);
		const athlete = await person();
		await acceptInvitation(inv.code, athlete.id);
		expect(await acceptInvitation(inv.code, athlete.id)).toEqual({
			ok: false,
			message: 'You are already in this team.'
		});
		expect(await acceptInvitation(inv.code, (await person()).id)).toMatchObject({ ok: true });
		expect(await rosterOf(team.id)).toHaveLength(2);
	});

	it('refuses expired, revoked, used-up and unknown links with a clear message', async () => {
		const { coach, team, inv } = await teamWithInvite(1, 1);
		await acceptInvitation(inv.code, (await person()).id);
		const late = await person();
		expect(refusal(await acceptInvitation(inv.code, late.id))).toMatch(/used as many times/);

		const expiring = (await createInvitation(coach, team.id, { days: 1, maxUses: 5 }))!;
		advanceClock(DAY + 1000);
		expect(refusal(await acceptInvitation(expiring.code, late.id))).toMatch(/expired/);
		resetClock();

		const revoked = (await createInvitation(coach, team.id, { days: 1, maxUses: 5 }))!;
		expect(await revokeInvitation(coach, team.id, revoked.id)).toBe(true);
		expect(refusal(await previewInvitation(revoked.code, late.id))).toMatch(/withdrawn/);
		expect(await acceptInvitation(revoked.code, late.id)).toMatchObject({ ok: false });
		for (const code of ['nope', "x' or 1=1 --", 'a'.repeat(500)])
			expect(await acceptInvitation(code, late.id)).toMatchObject({ ok: false });
		expect(await isMember(team.id, late.id)).toBe(false);
	});

	it('lets parallel accepts use a limited link at most its limit', async () => {
		const { team, inv } = await teamWithInvite(3);
		const athletes = await Promise.all(Array.from({ length: 8 }, () => person()));
		const results = await Promise.all(athletes.map((a) => acceptInvitation(inv.code, a.id)));
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(await rosterOf(team.id)).toHaveLength(3);
	});

	it("does not let another coach touch a team's invitations", async () => {
		const { team, inv } = await teamWithInvite();
		const other = await person('coach');
		expect(await createInvitation(other, team.id, { days: 1, maxUses: 1 })).toBeUndefined();
		expect(await revokeInvitation(other, team.id, inv.id)).toBe(false);
		expect(await teamForCoach(other, team.id)).toBeUndefined();
	});
});

describe('leaving', () => {
	it('removes the membership at once and keeps the progress', async () => {
		const { coach, team, inv } = await teamWithInvite();
		const athlete = await person();
		await assignCourse(coach, team.id, { courseId: course.id });
		await acceptInvitation(inv.code, athlete.id);
		await db.insert(lessonProgress).values({
			userId: athlete.id,
			courseId: course.id,
			lessonId: course.lessons[0]!.id,
			lessonVersion: 'v'
		});
		expect((await membershipsOf(athlete.id)).map((m) => m.teamId)).toEqual([team.id]);
		expect(await leaveTeam(athlete.id, team.id)).toBe(true);
		expect(await isMember(team.id, athlete.id)).toBe(false);
		expect(await assignmentsForAthlete(athlete.id)).toEqual([]);
		expect(
			await db.select().from(lessonProgress).where(eq(lessonProgress.userId, athlete.id))
		).toHaveLength(1);
		expect(await leaveTeam(athlete.id, team.id)).toBe(false);
		expect(await leaveTeam(athlete.id, 'not-a-uuid')).toBe(false);
	});
});

describe('assignments', () => {
	const enrolled = async (userId: string) =>
		(
			await db
				.select()
				.from(enrolments)
				.where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, course.id)))
		).length === 1;

	it('enrols current members, and later joiners on accept', async () => {
		const { coach, team, inv } = await teamWithInvite();
		const early = await person();
		await acceptInvitation(inv.code, early.id);
		const due = new Date(Date.now() + 3 * DAY);
		const result = await assignCourse(coach, team.id, {
			courseId: course.id,
			dueAt: due,
			note: 'Before camp'
		});
		expect(result.ok).toBe(true);
		expect(await enrolled(early.id)).toBe(true);
		const late = await person();
		expect(await enrolled(late.id)).toBe(false);
		await acceptInvitation(inv.code, late.id);
		expect(await enrolled(late.id)).toBe(true);
		const [seen] = await assignmentsForAthlete(late.id);
		expect(seen).toMatchObject({ courseId: course.id, note: 'Before camp', teamName: 'Harriers' });
		expect(seen?.dueAt?.getTime()).toBe(due.getTime());
	});

	it('withdraws without touching enrolments, and refuses unknown courses and other coaches', async () => {
		const { coach, team, inv } = await teamWithInvite();
		const athlete = await person();
		await acceptInvitation(inv.code, athlete.id);
		const result = await assignCourse(coach, team.id, { courseId: course.id });
		if (!result.ok) throw new Error('not assigned');
		const other = await person('coach');
		expect(await withdrawAssignment(other, team.id, result.id)).toBe(false);
		expect(await assignCourse(other, team.id, { courseId: course.id })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await assignCourse(coach, team.id, { courseId: 'no-such-course' })).toEqual({
			ok: false,
			reason: 'unknown-course'
		});
		expect(await withdrawAssignment(coach, team.id, result.id)).toBe(true);
		expect(await assignmentsForAthlete(athlete.id)).toEqual([]);
		expect(await enrolled(athlete.id)).toBe(true);
	});
});

describe('role changes', () => {
	it('records who changed which role from what to what', async () => {
		const admin = await person();
		const target = await person();
		await updateUser({ id: target.id }, { role: 'coach' }, admin.id);
		await updateUser({ id: target.id }, { role: 'coach', timeMultiplier: 1.5 }, admin.id);
		const changes = (await recentRoleChanges()).filter((c) => c.userEmail === target.email);
		expect(changes).toHaveLength(1);
		expect(changes[0]).toMatchObject({
			fromRole: 'learner',
			toRole: 'coach',
			changedBy: admin.name
		});
	});
});
