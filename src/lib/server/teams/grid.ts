// The coach's roster-by-assignment grid. Built with a fixed number of statements whatever the
// team's size (team check, roster, assignments, one union of every record): never a query per
// athlete. tests/integration/coach-grid.test.ts counts them.
import { sql } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { enrolments, lessonProgress, quizAttempts, teamMembers } from '../db/schema';
import { findCourse, findQuiz } from '../content/catalog';
import type { Course } from '../content/types';
import { recordsFromRows, type RecordRow } from '../learning/progress';
import { courseProgress } from '../../progress/rules';
import { dueStatus, dueText } from '../../progress/due';
import { assignmentsOfTeam } from './assignments';
import { rosterOf, teamForCoach, type Coach } from './teams';

export type Cell =
	| { state: 'not-assigned' }
	| { state: 'not-started'; overdue: boolean }
	| { state: 'in-progress'; percent: number; overdue: boolean }
	| { state: 'completed'; at: Date };

export type GridRow = {
	athlete: { id: string; name: string };
	cells: Cell[];
	latestScore: { percent: number; at: Date } | null;
	lastActivity: Date | null;
	/** Why the coach should look at this athlete now; empty when nothing stands out. */
	attention: string[];
};

export type Grid = {
	team: { id: string; name: string };
	assignments: {
		id: string;
		courseId: string;
		title: string;
		dueAt: Date | null;
		due: string;
		wholeTeam: boolean;
	}[];
	rows: GridRow[];
};

const DAY = 24 * 60 * 60 * 1000;
/** "No activity for 7 days while an assignment is open." */
export const QUIET_DAYS = 7;

type Row = RecordRow & { user_id: string; course_id: string };

export async function teamGrid(coach: Coach, teamId: string): Promise<Grid | undefined> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return undefined;
	const [roster, assigned] = await Promise.all([rosterOf(team.id), assignmentsOfTeam(team.id)]);
	return gridOf(team, roster, assigned);
}

/**
 * The grid of a team whose coach was already checked, from its roster and assignments as the
 * caller read them (the team page shows both anyway): one more statement, for the records.
 */
export async function gridOf(
	team: { id: string; name: string },
	roster: Awaited<ReturnType<typeof rosterOf>>,
	assigned: Awaited<ReturnType<typeof assignmentsOfTeam>>
): Promise<Grid> {
	const at = now();
	const assignments = assigned.flatMap((a) => {
		const course = findCourse(a.courseId);
		if (!course) return [];
		// Worked out once per assignment, not once per athlete: chosen athletes as a set, and
		// whether it is overdue.
		const chosen = a.athleteIds && new Set(a.athleteIds);
		return [{ ...a, course, chosen, overdue: dueStatus(a.dueAt, at).kind === 'overdue' }];
	});
	const courseIds = [...new Set(assignments.map((a) => a.courseId))];
	// Members are read again inside the query (not passed as ids) so the statement stays small.
	const rows: Row[] =
		courseIds.length && roster.length
			? await db().execute<Row>(sql`
		with m as (select user_id from ${teamMembers} where team_id = ${team.id})
		select 'lesson' as kind, user_id, course_id, lesson_id as id, lesson_version as version,
		       null::real as percent, completed_at as at, null::boolean as passed
		  from ${lessonProgress} where user_id in (select user_id from m) and course_id in ${courseIds}
		union all
		select 'quiz', user_id, course_id, quiz_id, null, percent, submitted_at, passed
		  from ${quizAttempts}
		 where user_id in (select user_id from m) and course_id in ${courseIds}
		   and submitted_at is not null
		union all
		select 'completed', user_id, course_id, course_id, null, null, completed_at, null
		  from ${enrolments}
		 where user_id in (select user_id from m) and course_id in ${courseIds}
		   and completed_at is not null`)
			: [];

	const byLearnerCourse = new Map<string, Row[]>();
	for (const r of rows) {
		const key = `${r.user_id} ${r.course_id}`;
		const list = byLearnerCourse.get(key) ?? [];
		list.push(r);
		byLearnerCourse.set(key, list);
	}

	return {
		team: { id: team.id, name: team.name },
		assignments: assignments.map((a) => ({
			id: a.id,
			courseId: a.courseId,
			title: a.course.title,
			dueAt: a.dueAt,
			due: dueText(dueStatus(a.dueAt, at)),
			wholeTeam: a.wholeTeam
		})),
		rows: roster.map((athlete) => {
			// Times as numbers while scanning: a team's records are thousands of rows.
			// Declared by cast: assignments inside the callback below do not narrow them.
			let latestScore = null as { percent: number; at: number } | null;
			let lastActivity = 0;
			const failures = new Map<string, number>();
			let openSince = null as Date | null;
			const cells = assignments.map((a): Cell => {
				if (a.chosen && !a.chosen.has(athlete.id)) return { state: 'not-assigned' };
				const mine = byLearnerCourse.get(`${athlete.id} ${a.courseId}`) ?? [];
				let completedAt = 0;
				for (const r of mine) {
					const when = r.at ? Date.parse(r.at) : 0;
					if (!when) continue;
					if (when > lastActivity) lastActivity = when;
					if (r.kind === 'completed') completedAt = when;
					if (r.kind === 'quiz' && (!latestScore || when > latestScore.at))
						latestScore = { percent: Number(r.percent), at: when };
					if (r.kind === 'quiz' && r.passed === false) {
						const key = `${a.courseId} ${r.id}`;
						failures.set(key, (failures.get(key) ?? 0) + 1);
					}
				}
				if (completedAt) return { state: 'completed', at: new Date(completedAt) };
				if (!openSince || a.createdAt < openSince) openSince = a.createdAt;
				const { overdue } = a;
				const records = mine.filter((r) => r.kind === 'lesson' || r.kind === 'quiz');
				if (records.length === 0) return { state: 'not-started', overdue };
				return inProgress(a.course, records, overdue);
			});
			const attention: string[] = [];
			const overdue = assignments.filter((_, i) => {
				const c = cells[i]!;
				return c.state !== 'completed' && c.state !== 'not-assigned' && c.overdue;
			});
			for (const a of overdue) attention.push(`Overdue: ${a.course.title}`);
			for (const [key, count] of failures) {
				if (count < 2) continue;
				const [courseId, quizId] = key.split(' ') as [string, string];
				const course = assignments.find((a) => a.courseId === courseId)!.course;
				const title = findQuiz(course, quizId)?.quiz.title ?? quizId;
				attention.push(`Failed ${title} ${count} times`);
			}
			// Quiet since the latest of: their last activity, joining, the oldest open assignment.
			if (openSince) {
				const since = Math.max(lastActivity, athlete.joinedAt.getTime(), openSince.getTime());
				if (at.getTime() - since >= QUIET_DAYS * DAY)
					attention.push(`No activity for ${Math.floor((at.getTime() - since) / DAY)} days`);
			}
			return {
				athlete: { id: athlete.id, name: athlete.name },
				cells,
				latestScore: latestScore && { percent: latestScore.percent, at: new Date(latestScore.at) },
				lastActivity: lastActivity ? new Date(lastActivity) : null,
				attention
			};
		})
	};
}

/**
 * An in-progress cell whose percent is worked out when first read: the page shows 50 athletes
 * of a team of hundreds, and only sorting by a course column reads every row's percent.
 */
function inProgress(course: Course, records: RecordRow[], overdue: boolean): Cell {
	let percent: number | undefined;
	return {
		state: 'in-progress',
		overdue,
		get percent() {
			percent ??= courseProgress(course, recordsFromRows(course, records)).percent;
			return percent;
		}
	};
}

export type GridSort = { by: string; dir: 'asc' | 'desc' };
export type GridFilter = 'all' | 'overdue' | 'not-started';

/** A cell as a number to sort by: not assigned < not started < % done < completed. */
function cellRank(cell: Cell | undefined): number {
	if (!cell || cell.state === 'not-assigned') return -2;
	if (cell.state === 'not-started') return -1;
	if (cell.state === 'in-progress') return cell.percent;
	return 1000 - cell.at.getTime() / 1e13;
}

/**
 * The rows the coach asked for, in the order asked for (`by` is "name", "score", "activity" or
 * an assignment id). Pure, so the page works from query parameters without JavaScript.
 */
export function arrangeRows(grid: Grid, sort: GridSort, filter: GridFilter): GridRow[] {
	const rows = grid.rows.filter((r) => {
		if (filter === 'overdue')
			return r.cells.some(
				(c) => c.state !== 'completed' && c.state !== 'not-assigned' && c.overdue
			);
		if (filter === 'not-started') return r.cells.some((c) => c.state === 'not-started');
		return true;
	});
	const column = grid.assignments.findIndex((a) => a.id === sort.by);
	const key = (r: GridRow): number | string => {
		if (column >= 0) return cellRank(r.cells[column]);
		if (sort.by === 'score') return r.latestScore?.percent ?? -1;
		if (sort.by === 'activity') return r.lastActivity?.getTime() ?? 0;
		return r.athlete.name.toLocaleLowerCase();
	};
	const sign = sort.dir === 'desc' ? -1 : 1;
	return [...rows].sort((a, b) => {
		const ka = key(a);
		const kb = key(b);
		const order = typeof ka === 'string' ? ka.localeCompare(kb as string) : ka - (kb as number);
		return sign * order || a.athlete.name.localeCompare(b.athlete.name);
	});
}

/** Athletes per page of the grid: a big team's page stays quick to send and to read. */
export const GRID_PAGE_SIZE = 50;

/**
 * One page of arranged rows. `requested` comes from the URL: anything that is not a page number
 * in range shows the nearest page, so an old link after the team shrank still shows something.
 */
export function gridPage<T>(rows: T[], requested: string | null, size = GRID_PAGE_SIZE) {
	const pages = Math.max(1, Math.ceil(rows.length / size));
	const asked = Number.parseInt(requested ?? '1', 10);
	const page = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
	const from = (page - 1) * size;
	return { rows: rows.slice(from, from + size), page, pages, from: from + 1 };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A cell as words, for the page and the CSV alike: the state never depends on colour. */
export function cellText(cell: Cell): string {
	switch (cell.state) {
		case 'completed':
			return `Completed ${day(cell.at)}`;
		case 'not-assigned':
			return 'Not assigned';
		case 'not-started':
			return cell.overdue ? 'Overdue, not started' : 'Not started';
		case 'in-progress':
			return `${cell.overdue ? 'Overdue, ' : 'In progress, '}${cell.percent}%`;
	}
}

export function gridTable(grid: Grid): string[][] {
	return [
		['Athlete', ...grid.assignments.map((a) => a.title), 'Latest quiz score', 'Last activity'],
		...grid.rows.map((r) => [
			r.athlete.name,
			...r.cells.map(cellText),
			r.latestScore ? `${Math.round(r.latestScore.percent)}%` : '',
			r.lastActivity ? day(r.lastActivity) : ''
		])
	];
}
