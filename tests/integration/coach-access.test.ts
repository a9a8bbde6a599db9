// Promise 4 by enumeration: a second coach, the athletes themselves, and an athlete of another
// team, against every coach service function. Each must find nothing (the routes turn that
// into 404) and change nothing.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { updateUser } from '../../src/lib/server/auth/admin-users';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import { athleteForCoach } from '../../src/lib/server/teams/athlete';
import {
	assignCourse,
	changeDueDate,
	withdrawAssignment
} from '../../src/lib/server/teams/assignments';
import { setAccommodation } from '../../src/lib/server/teams/accommodation';
import { questionStats } from '../../src/lib/server/teams/questions';
import { teamGrid } from '../../src/lib/server/teams/grid';
import {
	acceptInvitation,
	createInvitation,
	invitationsOf,
	inviteByEmail,
	revokeInvitation
} from '../../src/lib/server/teams/invitations';
import {
	createTeam,
	deleteTeam,
	leaveTeam,
	removeAssistant,
	teamForCoach,
	teamsOfCoach,
	type Coach
} from '../../src/lib/server/teams/teams';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
let courseId: string;

beforeAll(async () => {
	await freshDatabase();
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(`Fixture course: ${JSON.stringify(loaded.problems)}`);
	courseId = loaded.course.id;
	useCourses([loaded.course]);
});

let n = 0;
async function person(role: 'learner' | 'coach' | 'admin' = 'learner'): Promise<Coach> {
	const result = await createUser({
		name: `${role} ${++n}`,
		email: `${role}-${n}@example.com`,
		password: 'plum-tractor-71'
	});
	if (!result.ok) throw new Error(result.message);
	if (role !== 'learner') await updateUser({ id: result.value.id }, { role });
	return { id: result.value.id, role };
}

/** Coach A's team with athlete A; coach B's team with athlete B. */
async function world() {
	const coachA = await person('coach');
	const coachB = await person('coach');
	const athleteA = await person();
	const athleteB = await person();
	const admin = await person('admin');
	const teamA = (await createTeam(coachA, { name: 'A' }))!;
	const teamB = (await createTeam(coachB, { name: 'B' }))!;
	const invA = (await createInvitation(coachA, teamA.id, { days: 7, maxUses: 10 }))!;
	const invB = (await createInvitation(coachB, teamB.id, { days: 7, maxUses: 10 }))!;
	await acceptInvitation(invA.code, athleteA.id);
	await acceptInvitation(invB.code, athleteB.id);
	const assigned = await assignCourse(coachA, teamA.id, { courseId });
	if (!assigned.ok) throw new Error('not assigned');
	return {
		coachA,
		coachB,
		athleteA,
		athleteB,
		admin,
		teamA,
		teamB,
		invA,
		assignmentId: assigned.id
	};
}

describe('coach access by enumeration', () => {
	it("refuses everyone but team A's coach on every team A function", async () => {
		const w = await world();
		for (const intruder of [w.coachB, w.athleteA, w.athleteB, w.admin]) {
			expect(await teamForCoach(intruder, w.teamA.id)).toBeUndefined();
			expect(await teamGrid(intruder, w.teamA.id)).toBeUndefined();
			expect(await athleteForCoach(intruder, w.teamA.id, w.athleteA.id)).toBeUndefined();
			expect(await createInvitation(intruder, w.teamA.id, { days: 1, maxUses: 1 })).toBeUndefined();
			expect(await revokeInvitation(intruder, w.teamA.id, w.invA.id)).toBe(false);
			expect(await assignCourse(intruder, w.teamA.id, { courseId })).toEqual({
				ok: false,
				reason: 'not-found'
			});
			expect(await withdrawAssignment(intruder, w.teamA.id, w.assignmentId)).toBe(false);
			expect(await changeDueDate(intruder, w.teamA.id, w.assignmentId, null)).toBe(false);
			expect(await inviteByEmail(intruder, w.teamA.id, { email: 'x@example.com' })).toBeUndefined();
			expect(await questionStats(intruder, w.teamA.id)).toBeUndefined();
			expect(await setAccommodation(intruder, w.teamA.id, w.athleteA.id, 100)).toBe(false);
			expect(await removeAssistant(intruder, w.teamA.id, w.coachA.id)).toBe(false);
			expect(await deleteTeam(intruder, w.teamA.id)).toBe(false);
			expect(
				await assignCourse(intruder, w.teamA.id, { courseId, athleteIds: [w.athleteA.id] })
			).toEqual({ ok: false, reason: 'not-found' });
			expect((await teamsOfCoach(intruder)).map((t) => t.id)).not.toContain(w.teamA.id);
		}
		// Nothing changed: the invitation is open, one invitation, the assignment stands.
		const invitations = await invitationsOf(w.teamA.id);
		expect(invitations).toHaveLength(1);
		expect(invitations[0]?.revokedAt).toBeNull();
		expect((await teamGrid(w.coachA, w.teamA.id))?.assignments).toHaveLength(1);
		expect((await teamGrid(w.coachA, w.teamA.id))?.assignments[0]?.dueAt).toBeNull();
		expect((await questionStats(w.coachA, w.teamA.id))?.quizzes.length).toBeGreaterThan(0);
	});

	it("does not let a coach reach another team's athlete through their own team", async () => {
		const w = await world();
		// Athlete B is not in team A: no chosen assignment, no extra time through team A.
		expect(
			await assignCourse(w.coachA, w.teamA.id, { courseId, athleteIds: [w.athleteB.id] })
		).toEqual({ ok: false, reason: 'unknown-athlete' });
		expect(await setAccommodation(w.coachA, w.teamA.id, w.athleteB.id, 100)).toBe(false);
		expect(await setAccommodation(w.coachA, w.teamB.id, w.athleteB.id, 100)).toBe(false);
	});

	it("does not let a coach reach another team's athlete, or mix team and object ids", async () => {
		const w = await world();
		// Athlete B through coach A's own team id; coach B's invitation through team A's id.
		expect(await athleteForCoach(w.coachA, w.teamA.id, w.athleteB.id)).toBeUndefined();
		expect(await athleteForCoach(w.coachA, w.teamB.id, w.athleteB.id)).toBeUndefined();
		const invB = (await invitationsOf(w.teamB.id))[0]!;
		expect(await revokeInvitation(w.coachA, w.teamA.id, invB.id)).toBe(false);
		expect((await invitationsOf(w.teamB.id))[0]?.revokedAt).toBeNull();
		for (const bad of ['nope', '', '00000000-0000-0000-0000-000000000000'])
			expect(await athleteForCoach(w.coachA, w.teamA.id, bad)).toBeUndefined();
	});

	it('ends access the moment an athlete leaves, and when a coach is demoted', async () => {
		const w = await world();
		expect(await athleteForCoach(w.coachA, w.teamA.id, w.athleteA.id)).toBeDefined();
		expect(await leaveTeam(w.athleteA.id, w.teamA.id)).toBe(true);
		expect(await athleteForCoach(w.coachA, w.teamA.id, w.athleteA.id)).toBeUndefined();
		expect((await teamGrid(w.coachA, w.teamA.id))?.rows).toEqual([]);
		// Athlete B cannot remove themselves from a team they are not in, nor anyone else.
		expect(await leaveTeam(w.athleteB.id, w.teamA.id)).toBe(false);
		expect(await teamGrid({ id: w.coachA.id, role: 'learner' }, w.teamA.id)).toBeUndefined();
	});
});
