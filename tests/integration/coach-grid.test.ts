// The coach's team grid on PostgreSQL: states per athlete and assignment, a fixed number of
// statements whatever the team's size (counted as session-cost.test.ts does), and the CSV rows.
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { updateUser } from '../../src/lib/server/auth/admin-users';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { db as appDb } from '../../src/lib/server/db';
import * as schema from '../../src/lib/server/db/schema';
import { assignCourse, assignmentsOfTeam } from '../../src/lib/server/teams/assignments';
import { cellText, gridOf, gridTable, gridView, teamGrid } from '../../src/lib/server/teams/grid';
import { acceptInvitation, createInvitation } from '../../src/lib/server/teams/invitations';
import { questionStats } from '../../src/lib/server/teams/questions';
import { createTeam, rosterOf } from '../../src/lib/server/teams/teams';
import { courseProgress } from '../../src/lib/progress/rules';
import { countStatements } from '../support/counted-database';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
const DAY = 86_400_000;
let countSent: ReturnType<typeof countStatements>;
let course: Course;

beforeAll(async () => {
	const { sql } = await freshDatabase();
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(`Fixture course: ${JSON.stringify(loaded.problems)}`);
	course = loaded.course;
	useCourses([course]);
	countSent = countStatements(sql);
});

let n = 0;
async function person(name = `Athlete ${++n}`, role: 'learner' | 'coach' = 'learner') {
	const result = await createUser({
		name,
		email: `p${++n}@example.com`,
		password: 'plum-tractor-71'
	});
	if (!result.ok) throw new Error(result.message);
	if (role === 'coach') await updateUser({ id: result.value.id }, { role: 'coach' });
	return { id: result.value.id, role };
}

async function team(size: number, dueAt: Date | null = null) {
	const coach = await person('Coach', 'coach');
	const t = (await createTeam(coach, { name: 'Squad' }))!;
	const inv = (await createInvitation(coach, t.id, { days: 7, maxUses: 500 }))!;
	await assignCourse(coach, t.id, { courseId: course.id, dueAt });
	const athletes = [];
	for (let i = 0; i < size; i++) {
		const a = await person(i === 0 ? '=cmd|calc' : undefined);
		await acceptInvitation(inv.code, a.id);
		athletes.push(a);
	}
	return { coach, team: t, athletes };
}

async function count(fn: () => Promise<unknown>) {
	return (await countSent(fn)).length;
}

describe('team grid', () => {
	it('costs the same number of statements for 2 athletes as for 25', async () => {
		const small = await team(2);
		const large = await team(25);
		// Athletes part way through: their percents are read too, in one more statement.
		for (const t of [small, large])
			await appDb()
				.insert(schema.lessonProgress)
				.values(
					t.athletes.map((a) => ({
						userId: a.id,
						courseId: course.id,
						lessonId: course.lessons[0]!.id,
						lessonVersion: course.lessons[0]!.version
					}))
				);
		const smallCost = await count(() => teamGrid(small.coach, small.team.id));
		const largeCost = await count(() => teamGrid(large.coach, large.team.id));
		expect(smallCost).toBe(largeCost);
		expect(largeCost).toBeLessThanOrEqual(5);

		// Still fixed with an assignment to chosen athletes, and for the question view.
		for (const t of [small, large])
			await assignCourse(t.coach, t.team.id, {
				courseId: course.id,
				athleteIds: t.athletes.slice(0, 2).map((a) => a.id)
			});
		const gridSmall = await count(() => teamGrid(small.coach, small.team.id));
		expect(await count(() => teamGrid(large.coach, large.team.id))).toBe(gridSmall);
		expect(gridSmall).toBeLessThanOrEqual(5);
		const statsSmall = await count(() => questionStats(small.coach, small.team.id));
		expect(await count(() => questionStats(large.coach, large.team.id))).toBe(statsSmall);
		expect(statsSmall).toBeLessThanOrEqual(3);
	});

	it('shows not started, in progress with %, completed with date and overdue as text', async () => {
		const { coach, team: t, athletes } = await team(4, new Date(Date.now() - 2 * DAY));
		const [, started, done] = athletes;
		await appDb().insert(schema.lessonProgress).values({
			userId: started!.id,
			courseId: course.id,
			lessonId: course.lessons[0]!.id,
			lessonVersion: 'v'
		});
		await appDb()
			.update(schema.enrolments)
			.set({ completedAt: new Date('2027-01-05T10:00:00Z') })
			.where(
				and(eq(schema.enrolments.userId, done!.id), eq(schema.enrolments.courseId, course.id))
			);
		const grid = (await teamGrid(coach, t.id))!;
		const text = new Map(grid.rows.map((r) => [r.athlete.id, r.cells.map(cellText)[0]]));
		expect(text.get(athletes[3]!.id)).toBe('Overdue, not started');
		const onePercent = courseProgress(course, {
			lessonsDone: new Map([[course.lessons[0]!.id, 'v']]),
			quizzesPassed: new Set()
		}).percent;
		expect(onePercent).toBeGreaterThan(0);
		expect(text.get(started!.id)).toBe(`Overdue, ${onePercent}%`);
		expect(text.get(done!.id)).toBe('Completed 2027-01-05');
		const started_ = grid.rows.find((r) => r.athlete.id === started!.id)!;
		expect(started_.lastActivity).not.toBeNull();
		const csv = gridTable(grid);
		expect(csv[0]).toEqual(['Athlete', course.title, 'Latest quiz score', 'Last activity']);
		expect(csv.some((row) => row[0] === '=cmd|calc')).toBe(true);
	});

	it('reads the percents the page shows, and every one when sorting by a course', async () => {
		const { team: t, athletes } = await team(3);
		const done = (a: { id: string }, lessons: number) =>
			appDb()
				.insert(schema.lessonProgress)
				.values(
					course.lessons.slice(0, lessons).map((l) => ({
						userId: a.id,
						courseId: course.id,
						lessonId: l.id,
						lessonVersion: l.version
					}))
				);
		await done(athletes[1]!, 1);
		await done(athletes[2]!, 2);
		const [roster, assigned] = await Promise.all([rosterOf(t.id), assignmentsOfTeam(t.id)]);
		const grid = await gridOf(t, roster, assigned);
		// Before any view, an in-progress cell has no percent, and reading it is a loud bug.
		const cellOf = (id: string) => grid.rows.find((r) => r.athlete.id === id)!.cells[0]!;
		expect(cellOf(athletes[2]!.id)).toEqual({ state: 'in-progress', overdue: false });
		expect(() => cellText(cellOf(athletes[2]!.id))).toThrow(/withPercents/);

		const column = grid.assignments[0]!.id;
		const { shown } = await gridView(grid, { by: column, dir: 'desc' }, 'all', '1');
		expect(shown.rows.map((r) => r.athlete.id)).toEqual([
			athletes[2]!.id,
			athletes[1]!.id,
			athletes[0]!.id
		]);
		const percent = (lessons: number) =>
			courseProgress(course, {
				lessonsDone: new Map(course.lessons.slice(0, lessons).map((l) => [l.id, l.version])),
				quizzesPassed: new Set()
			}).percent;
		expect(shown.rows.map((r) => cellText(r.cells[0]!))).toEqual([
			`In progress, ${percent(2)}%`,
			`In progress, ${percent(1)}%`,
			'Not started'
		]);
	});

	it('is not there for another coach or for a malformed id', async () => {
		const { team: t } = await team(1);
		const other = await person('Other coach', 'coach');
		expect(await teamGrid(other, t.id)).toBeUndefined();
		expect(await teamGrid(other, 'nope')).toBeUndefined();
	});
});
