// The coach's roster-by-assignment grid. Built with a fixed number of statements whatever the
// team's size (team check, roster, assignments, one summary row per athlete and course, and the
// records behind the percents shown): never a query per athlete.
// tests/integration/coach-grid.test.ts counts them.
import { sql, type SQL } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { enrolments, lessonProgress, quizAttempts, teamMembers } from '../db/schema';
import { findCourse, findQuiz } from '../content/catalog';
import { recordsFromRows, type RecordRow } from '../learning/progress';
import { courseProgress } from '../../progress/rules';
import { dueStatus, dueText } from '../../progress/due';
import { assignmentsOfTeam } from './assignments';
import { rosterOf, teamForCoach, type Coach } from './teams';

export type Cell =
	| { state: 'not-assigned' }
	| { state: 'not-started'; overdue: boolean }
	/** `percent` is filled in by withPercents, for the rows that show or sort by it. */
	| { state: 'in-progress'; percent?: number; overdue: boolean }
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

/** What the grid needs of one athlete in one course, worked out by PostgreSQL. Times in ms. */
type CourseSummary = {
	user_id: string;
	course_id: string;
	last_at: number;
	completed_at: number | null;
	/** A lesson marked done or an attempt graded. */
	started: boolean;
	/** The latest graded attempt in the course. */
	score_at: number | null;
	score: number | null;
	/** Quiz id → failed attempts, for quizzes failed at least twice. */
	failures: Record<string, number> | null;
};

export async function teamGrid(coach: Coach, teamId: string): Promise<Grid | undefined> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return undefined;
	const [roster, assigned] = await Promise.all([rosterOf(team.id), assignmentsOfTeam(team.id)]);
	const grid = await gridOf(team, roster, assigned);
	await withPercents(grid, grid.rows);
	return grid;
}

const epochMs = (at: SQL) => sql`(extract(epoch from ${at}) * 1000)::float8`;

/**
 * One row per athlete of the team and assigned course they have done anything in. The records
 * themselves (thousands for a big team) stay in the database; only the percents shown read them.
 */
function courseSummaries(teamId: string, courseIds: string[]) {
	// Each table is joined to the team's members, so PostgreSQL can look their records up by the
	// indexes that lead with user_id when the team is a small part of the site, and the cost
	// follows the team rather than the site. (Filtering by course and then keeping the members'
	// rows took 8 ms with 1,000 learners on the site and 65 ms with 50,000; this takes 8 and
	// 18 ms.) The latest graded attempt per athlete and course by DISTINCT ON, per member, and
	// failures from the failed attempts alone.
	const member = sql`${teamMembers} m`;
	const ofTeam = sql`m.team_id = ${teamId}`;
	const courses = sql`any(${sql.param(courseIds)}::text[])`;
	return db().execute<CourseSummary>(sql`
		with r as (
			select l.user_id, l.course_id, max(l.completed_at) as at, false as completion,
			       null::timestamptz as score_at, null::real as score
			  from ${member} join ${lessonProgress} l on l.user_id = m.user_id
			 where ${ofTeam} and l.course_id = ${courses}
			 group by l.user_id, l.course_id
			union all
			select latest.* from ${member} cross join lateral (
				select distinct on (q.course_id)
				       q.user_id, q.course_id, q.submitted_at, false, q.submitted_at, q.percent
				  from ${quizAttempts} q
				 where q.user_id = m.user_id and q.course_id = ${courses} and q.submitted_at is not null
				 order by q.course_id, q.submitted_at desc) latest
			 where ${ofTeam}
			union all
			select e.user_id, e.course_id, e.completed_at, true, null, null
			  from ${member} join ${enrolments} e on e.user_id = m.user_id
			 where ${ofTeam} and e.course_id = ${courses} and e.completed_at is not null
		), f as (
			select user_id, course_id, jsonb_object_agg(quiz_id, failed) as failures
			  from (select q.user_id, q.course_id, q.quiz_id, count(*) as failed
			          from ${member} join ${quizAttempts} q on q.user_id = m.user_id
			         where ${ofTeam} and q.course_id = ${courses}
			           and q.submitted_at is not null and not q.passed
			         group by q.user_id, q.course_id, q.quiz_id having count(*) >= 2) twice
			 group by user_id, course_id
		)
		select r.user_id, r.course_id,
		       ${epochMs(sql`max(at)`)} as last_at,
		       ${epochMs(sql`max(at) filter (where completion)`)} as completed_at,
		       bool_or(not completion) as started,
		       ${epochMs(sql`max(score_at)`)} as score_at, max(score) as score, f.failures
		  from r left join f on f.user_id = r.user_id and f.course_id = r.course_id
		 group by r.user_id, r.course_id, f.failures`);
}

/**
 * The grid of a team whose coach was already checked, from its roster and assignments as the
 * caller read them (the team page shows both anyway): one more statement, for the summaries.
 * In-progress cells have no percent yet: withPercents reads it for the rows that need it.
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
		const overdue = dueStatus(a.dueAt, at).kind === 'overdue';
		return [{ ...a, course, chosen, overdue, created: a.createdAt.getTime() }];
	});
	const courseIds = [...new Set(assignments.map((a) => a.courseId))];
	const summaries =
		courseIds.length && roster.length ? await courseSummaries(team.id, courseIds) : [];
	// By athlete, then course: looking up the strings already read is cheaper than building a
	// key per cell (a big team's grid has thousands of cells).
	const summaryOf = new Map<string, Map<string, CourseSummary>>();
	for (const s of summaries) {
		const mine = summaryOf.get(s.user_id) ?? new Map<string, CourseSummary>();
		summaryOf.set(s.user_id, mine.set(s.course_id, s));
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
			// Declared by cast: an assignment inside the callback below does not narrow it.
			let latest = null as CourseSummary | null;
			let lastActivity = 0;
			let openSince = 0;
			const attention: string[] = [];
			// A course assigned twice (to the team and to chosen athletes) counts its records once.
			const counted = new Set<string>();
			const mine = summaryOf.get(athlete.id);
			const cells = assignments.map((a): Cell => {
				if (a.chosen && !a.chosen.has(athlete.id)) return { state: 'not-assigned' };
				const summary = mine?.get(a.courseId);
				if (summary && !counted.has(a.courseId)) {
					counted.add(a.courseId);
					lastActivity = Math.max(lastActivity, summary.last_at);
					if (summary.score_at !== null && (!latest || summary.score_at > latest.score_at!))
						latest = summary;
					if (summary.failures)
						for (const [quizId, count] of Object.entries(summary.failures)) {
							const title = findQuiz(a.course, quizId)?.quiz.title ?? quizId;
							attention.push(`Failed ${title} ${count} times`);
						}
				}
				if (summary?.completed_at)
					return { state: 'completed', at: new Date(summary.completed_at) };
				if (!openSince || a.created < openSince) openSince = a.created;
				const { overdue } = a;
				return summary?.started
					? { state: 'in-progress', overdue }
					: { state: 'not-started', overdue };
			});
			const overdue = assignments.filter((_, i) => {
				const c = cells[i]!;
				return c.state !== 'completed' && c.state !== 'not-assigned' && c.overdue;
			});
			attention.unshift(...overdue.map((a) => `Overdue: ${a.course.title}`));
			// Quiet since the latest of: their last activity, joining, the oldest open assignment.
			if (openSince) {
				const since = Math.max(lastActivity, athlete.joinedAt.getTime(), openSince);
				if (at.getTime() - since >= QUIET_DAYS * DAY)
					attention.push(`No activity for ${Math.floor((at.getTime() - since) / DAY)} days`);
			}
			return {
				athlete: { id: athlete.id, name: athlete.name },
				cells,
				latestScore: latest && { percent: latest.score!, at: new Date(latest.score_at!) },
				lastActivity: lastActivity ? new Date(lastActivity) : null,
				attention
			};
		})
	};
}

type Row = RecordRow & { user_id: string; course_id: string };

/**
 * Fills in the percent of the in-progress cells of these rows (the page's 50, or every row when
 * sorting by a course or exporting), from their lesson and graded-attempt records, read in one
 * statement. The percent follows the progress rules, as the learner's own dashboard does.
 */
export async function withPercents(grid: Grid, rows: readonly GridRow[]): Promise<void> {
	const open = (c: Cell) => c.state === 'in-progress' && c.percent === undefined;
	const wanted = rows.filter((r) => r.cells.some(open));
	if (!wanted.length) return;
	// Each list as one array parameter: the statement's text stays the same whatever the count,
	// so PostgreSQL plans it once.
	const ids = sql.param(wanted.map((r) => r.athlete.id));
	const courseIds = sql.param([...new Set(grid.assignments.map((a) => a.courseId))]);
	const mine = sql`user_id = any(${ids}::uuid[]) and course_id = any(${courseIds}::text[])`;
	const records = await db().execute<Row>(sql`
		select 'lesson' as kind, user_id, course_id, lesson_id as id, lesson_version as version,
		       null::real as percent, null::timestamptz as at, null::boolean as passed
		  from ${lessonProgress} where ${mine}
		union all
		select 'quiz', user_id, course_id, quiz_id, null, percent, submitted_at, passed
		  from ${quizAttempts} where ${mine} and submitted_at is not null`);
	const byLearnerCourse = new Map<string, Row[]>();
	for (const r of records) {
		const key = `${r.user_id} ${r.course_id}`;
		const list = byLearnerCourse.get(key) ?? [];
		list.push(r);
		byLearnerCourse.set(key, list);
	}
	for (const row of wanted)
		row.cells.forEach((cell, i) => {
			if (cell.state !== 'in-progress' || cell.percent !== undefined) return;
			const course = findCourse(grid.assignments[i]!.courseId)!;
			const mine = byLearnerCourse.get(`${row.athlete.id} ${course.id}`) ?? [];
			cell.percent = courseProgress(course, recordsFromRows(course, mine)).percent;
		});
}

/** The percent of an in-progress cell; reading it before withPercents is a bug, said loudly. */
function percentOf(cell: { percent?: number }): number {
	if (cell.percent === undefined) throw new Error('Grid percent read before withPercents');
	return cell.percent;
}

export type GridSort = { by: string; dir: 'asc' | 'desc' };
export type GridFilter = 'all' | 'overdue' | 'not-started';

/** A cell as a number to sort by: not assigned < not started < % done < completed. */
function cellRank(cell: Cell | undefined): number {
	if (!cell || cell.state === 'not-assigned') return -2;
	if (cell.state === 'not-started') return -1;
	if (cell.state === 'in-progress') return percentOf(cell);
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

/**
 * The rows the coach asked for, arranged, and the page of them shown, with the percents that
 * page shows. Sorting by a course column reads every row's percent; other views only the page's.
 */
export async function gridView(
	grid: Grid,
	sort: GridSort,
	filter: GridFilter,
	requestedPage: string | null
) {
	if (grid.assignments.some((a) => a.id === sort.by)) await withPercents(grid, grid.rows);
	const arranged = arrangeRows(grid, sort, filter);
	const shown = gridPage(arranged, requestedPage);
	await withPercents(grid, shown.rows);
	return { arranged, shown };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A cell as words, for the CSV (and the page, which writes a completed cell's day its own way):
 * the state never depends on colour.
 */
export function cellText(cell: Cell): string {
	switch (cell.state) {
		case 'completed':
			return `Completed ${day(cell.at)}`;
		case 'not-assigned':
			return 'Not assigned';
		case 'not-started':
			return cell.overdue ? 'Overdue, not started' : 'Not started';
		case 'in-progress':
			return `${cell.overdue ? 'Overdue, ' : 'In progress, '}${percentOf(cell)}%`;
	}
}

/**
 * The grid as the CSV download's rows. Days stay ISO (YYYY-MM-DD, UTC) here, unlike the page's
 * "29 Nov 2026" in the coach's zone: spreadsheets read ISO days as dates, to sort and compute.
 */
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
