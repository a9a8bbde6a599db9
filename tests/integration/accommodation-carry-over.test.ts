// Extra time set before per-team accommodations, when coaches and admins wrote the one
// users.time_multiplier: the upgrade (drizzle/0021) copies such a value to each team the athlete
// is in, recorded as carried over, so the coach sees it and can change it, and keeps it site-wide
// (it may be an admin's). Values recorded since, by an admin or a team, are left as they are.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { updateUser } from '../../src/lib/server/auth/admin-users';
import type { Course } from '../../src/lib/server/content/types';
import { closeDatabase, connect, db, useDatabase } from '../../src/lib/server/db';
import { runMigrations } from '../../src/lib/server/db/migrate';
import {
	accommodationHistory,
	accommodationOf,
	effectiveMultiplier,
	setAccommodation,
	teamAccommodationOf
} from '../../src/lib/server/teams/accommodation';
import { assignCourse } from '../../src/lib/server/teams/assignments';
import { coachWithTeam, person, useFixtureCourse, type Person } from '../support/builders';
import { withDatabase } from '../support/database-url';
import { migrateBefore } from '../support/migrated-before';

let sql: postgres.Sql;
let course: Course;
let the: Awaited<ReturnType<typeof before>>;

/** The site as it was before the upgrade: two teams, and extra time set in every way there was. */
async function before() {
	const admin = await person('admin');
	// Old: 50% set by a coach (or an admin: nothing says which) when it was one value.
	const old = await person();
	// An admin's 100% since per-team extra time, recorded as a site-wide change.
	const adminSet = await person();
	// Old 50%, but this team has set its own 20% since.
	const teamSet = await person();
	// Old 100%, in no team.
	const teamless = await person();
	const none = await person();
	const one = await coachWithTeam([old, adminSet, teamSet, none]);
	const two = await coachWithTeam([old]);
	for (const { coach, team } of [one, two]) {
		const assigned = await assignCourse(coach, team.id, { courseId: course.id });
		if (!assigned.ok) throw new Error(assigned.reason);
	}
	// Written as the code of the time wrote them (accommodation_changes has no carried_over yet).
	await sql`update users set time_multiplier = 1.5 where id in (${old.id}, ${teamSet.id})`;
	await sql`update users set time_multiplier = 2 where id in (${adminSet.id}, ${teamless.id})`;
	await sql`insert into accommodation_changes (user_id, team_id, multiplier, changed_by)
		values (${adminSet.id}, null, 2, ${admin.id})`;
	await sql`insert into team_accommodations (team_id, user_id, multiplier, set_by)
		values (${one.team.id}, ${teamSet.id}, 1.2, ${one.coach.id})`;
	await sql`insert into accommodation_changes (user_id, team_id, multiplier, changed_by)
		values (${teamSet.id}, ${one.team.id}, 1.2, ${one.coach.id})`;
	return { admin, old, adminSet, teamSet, teamless, none, one, two };
}

beforeAll(async () => {
	const base = inject('databaseUrl');
	const name = `test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const opened = connect(withDatabase(base, name), 4);
	sql = opened.client;
	useDatabase(opened.db, opened.client);
	afterAll(async () => {
		await closeDatabase();
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	});
	await migrateBefore(sql, 'accommodation_carried_over');
	course = useFixtureCourse();
	the = await before();
	await runMigrations(sql);
});

const history = async (who: Person) =>
	(await accommodationHistory(who.id)).map((h) => ({
		teamId: h.teamId,
		multiplier: h.multiplier,
		changedBy: h.changedBy,
		carriedOver: h.carriedOver
	}));

describe('extra time set before per-team accommodations', () => {
	it('becomes the extra time of each team the athlete is in, recorded as carried over', async () => {
		const { old, one, two } = the;
		// Each coach's page now shows the 50% the athlete gets, where it said "no extra time".
		expect(await teamAccommodationOf(one.team.id, old.id)).toBe(50);
		expect(await teamAccommodationOf(two.team.id, old.id)).toBe(50);
		const carried = { multiplier: 1.5, changedBy: null, carriedOver: true };
		expect((await history(old)).sort((a, b) => a.teamId!.localeCompare(b.teamId!))).toEqual(
			[one.team.id, two.team.id].sort().map((teamId) => ({ teamId, ...carried }))
		);
	});

	it('stays site-wide, as it may be an admin’s, and the teams’ copies outlive it', async () => {
		const { admin, old, one, two } = the;
		expect(await accommodationOf(old.id)).toEqual({
			sitePercent: 50,
			teams: [one.team.name, two.team.name].sort().map((team) => ({ team, percent: 50 }))
		});
		// The admin, told it was a coach's, clears the site-wide value: the team's courses keep it.
		await updateUser({ id: old.id }, { timeMultiplier: 1 }, admin.id);
		expect(await effectiveMultiplier(db(), old.id, course.id)).toBe(1.5);
		expect(await effectiveMultiplier(db(), old.id, 'a-course-no-team-assigned')).toBe(1);
	});

	it('is the coach’s to change now, for that team', async () => {
		const { old, one, two } = the;
		expect(await setAccommodation(one.coach, one.team.id, old.id, 0)).toBe(true);
		expect(await teamAccommodationOf(one.team.id, old.id)).toBe(0);
		expect(await teamAccommodationOf(two.team.id, old.id)).toBe(50);
		expect((await history(old)).filter((h) => h.teamId && !h.carriedOver)).toEqual([
			{ teamId: one.team.id, multiplier: 1, changedBy: one.coach.id, carriedOver: false }
		]);
	});

	it('leaves an admin’s value set since, and a team’s own, as they are', async () => {
		const { adminSet, teamSet, teamless, none, one } = the;
		expect(await teamAccommodationOf(one.team.id, adminSet.id)).toBe(0);
		expect((await accommodationOf(adminSet.id)).sitePercent).toBe(100);
		expect(await teamAccommodationOf(one.team.id, teamSet.id)).toBe(20);
		expect((await history(teamSet)).every((h) => !h.carriedOver)).toBe(true);
		expect(await accommodationOf(teamless.id)).toEqual({ sitePercent: 100, teams: [] });
		expect(await accommodationOf(none.id)).toEqual({ sitePercent: 0, teams: [] });
		const [carried] = await sql<{ n: number }[]>`
			select count(*)::int as n from accommodation_changes
			 where carried_over and user_id <> ${the.old.id}`;
		expect(carried!.n).toBe(0);
	});
});
