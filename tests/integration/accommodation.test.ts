// Extra time on PostgreSQL: an admin's accommodation is site-wide; a coach's (or assistant's)
// applies only to the courses that team assigned, never lowers the admin's, and the larger
// counts. Every change is recorded with who made it and when.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { updateUser } from '../../src/lib/server/auth/admin-users';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { startAttempt } from '../../src/lib/server/quiz/attempts';
import {
	accommodationHistory,
	accommodationOf,
	setAccommodation
} from '../../src/lib/server/teams/accommodation';
import { assignCourse, withdrawAssignment } from '../../src/lib/server/teams/assignments';
import { acceptInvitation, createInvitation } from '../../src/lib/server/teams/invitations';
import { createTeam } from '../../src/lib/server/teams/teams';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
let course: Course;
// The same course under another id: a course the team did not assign.
let other: Course;

beforeAll(async () => {
	await freshDatabase();
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(JSON.stringify(loaded.problems));
	course = loaded.course;
	other = { ...course, id: 'other-course' };
	useCourses([course, other]);
});

let n = 0;
async function person(role: 'learner' | 'coach' | 'admin' = 'learner') {
	const made = await createUser({
		name: `${role} ${++n}`,
		email: `accommodation-${n}@example.com`,
		password: 'plum-tractor-71'
	});
	if (!made.ok) throw new Error(made.message);
	if (role !== 'learner') await updateUser({ id: made.value.id }, { role });
	return { id: made.value.id, role };
}

/** An athlete in a coach's team (with an assistant) that assigned the fixture course. */
async function setting() {
	const admin = await person('admin');
	const coach = await person('coach');
	const assistant = await person('coach');
	const athlete = await person();
	const team = (await createTeam(coach, { name: `Harriers ${n}` }))!;
	const asAthlete = (await createInvitation(coach, team.id, { days: 7, maxUses: 5 }))!;
	expect((await acceptInvitation(asAthlete.code, athlete.id)).ok).toBe(true);
	const asAssistant = (await createInvitation(coach, team.id, {
		days: 7,
		maxUses: 5,
		role: 'assistant'
	}))!;
	expect((await acceptInvitation(asAssistant.code, assistant.id)).ok).toBe(true);
	const assigned = await assignCourse(coach, team.id, { courseId: course.id });
	if (!assigned.ok) throw new Error(assigned.reason);
	return { admin, coach, assistant, athlete, team, assignmentId: assigned.id };
}

/** The final exam's time (5 minutes as written) for a new attempt, in minutes. */
async function examMinutes(userId: string, c: Course = course) {
	const started = await startAttempt(userId, c, c.finalExam!);
	if (!started.ok) throw new Error(started.reason);
	const { startedAt, deadlineAt } = started.attempt;
	return Math.round((deadlineAt!.getTime() - startedAt.getTime()) / 6000) / 10;
}

async function freshAthleteMinutes(
	make: (s: Awaited<ReturnType<typeof setting>>) => Promise<unknown>,
	c: Course = course
) {
	const s = await setting();
	await make(s);
	return { minutes: await examMinutes(s.athlete.id, c), s };
}

describe("a coach's extra time", () => {
	it("never lowers an admin's: admin 2.0, then an assistant sets 0% → still 2.0 (10 minutes)", async () => {
		const { minutes, s } = await freshAthleteMinutes(async (s) => {
			await updateUser({ id: s.athlete.id }, { timeMultiplier: 2 }, s.admin.id);
			expect(await setAccommodation(s.assistant, s.team.id, s.athlete.id, 0)).toBe(true);
		});
		expect(minutes).toBe(10);
		expect((await accommodationOf(s.athlete.id)).sitePercent).toBe(100);
	});

	it("is larger than the admin's only on the team's assigned course: 300% → 20 minutes there, 5 elsewhere", async () => {
		const s = await setting();
		expect(await setAccommodation(s.coach, s.team.id, s.athlete.id, 300)).toBe(true);
		expect(await examMinutes(s.athlete.id, course)).toBe(20);
		expect(await examMinutes(s.athlete.id, other)).toBe(5);
		expect(await accommodationOf(s.athlete.id)).toEqual({
			sitePercent: 0,
			teams: [{ team: `Harriers ${n}`, percent: 300 }]
		});
	});

	it("takes the larger of the admin's and the team's", async () => {
		const { minutes } = await freshAthleteMinutes(async (s) => {
			await updateUser({ id: s.athlete.id }, { timeMultiplier: 1.5 }, s.admin.id);
			await setAccommodation(s.coach, s.team.id, s.athlete.id, 100);
		});
		expect(minutes).toBe(10);
	});

	it('stops applying when the assignment is withdrawn', async () => {
		const { minutes } = await freshAthleteMinutes(async (s) => {
			await setAccommodation(s.coach, s.team.id, s.athlete.id, 100);
			expect(await withdrawAssignment(s.coach, s.team.id, s.assignmentId)).toBe(true);
		});
		expect(minutes).toBe(5);
	});

	it('does not apply to a chosen-athletes assignment the athlete was not chosen for', async () => {
		const { minutes } = await freshAthleteMinutes(async (s) => {
			await withdrawAssignment(s.coach, s.team.id, s.assignmentId);
			const chosen = await person();
			const inv = (await createInvitation(s.coach, s.team.id, { days: 7, maxUses: 5 }))!;
			await acceptInvitation(inv.code, chosen.id);
			await assignCourse(s.coach, s.team.id, { courseId: course.id, athleteIds: [chosen.id] });
			await setAccommodation(s.coach, s.team.id, s.athlete.id, 100);
		});
		expect(minutes).toBe(5);
	});

	it('leaves the site-wide setting as the admin left it', async () => {
		const s = await setting();
		await updateUser({ id: s.athlete.id }, { timeMultiplier: 2 }, s.admin.id);
		await setAccommodation(s.assistant, s.team.id, s.athlete.id, 0);
		await setAccommodation(s.coach, s.team.id, s.athlete.id, 300);
		expect((await accommodationOf(s.athlete.id)).sitePercent).toBe(100);
	});
});

describe('the record of extra time', () => {
	it('keeps who set what, for which team, and when', async () => {
		const s = await setting();
		const before = Date.now();
		await updateUser({ id: s.athlete.id }, { timeMultiplier: 2 }, s.admin.id);
		await setAccommodation(s.assistant, s.team.id, s.athlete.id, 0);
		await setAccommodation(s.coach, s.team.id, s.athlete.id, 50);
		// An admin saving the row without changing the extra time records nothing new.
		await updateUser({ id: s.athlete.id }, { timeMultiplier: 2 }, s.admin.id);
		const history = await accommodationHistory(s.athlete.id);
		expect(
			history
				.map((h) => ({ teamId: h.teamId, multiplier: h.multiplier, changedBy: h.changedBy }))
				.sort((a, b) => a.multiplier - b.multiplier)
		).toEqual([
			{ teamId: s.team.id, multiplier: 1, changedBy: s.assistant.id },
			{ teamId: s.team.id, multiplier: 1.5, changedBy: s.coach.id },
			{ teamId: null, multiplier: 2, changedBy: s.admin.id }
		]);
		for (const h of history) expect(h.changedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
	});
});
