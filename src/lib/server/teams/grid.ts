// The coach's roster-by-assignment grid. Built with a fixed number of statements whatever the
// team's size (team check, roster, assignments, one union of every record): never a query per
// athlete. tests/integration/coach-grid.test.ts counts them.
import { sql } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { enrolments, lessonProgress, quizAttempts, teamMembers } from '../db/schema';
import { findCourse } from '../content/catalog';
import { recordsFromRows, type RecordRow } from '../learning/progress';
import { courseProgress } from '../../progress/rules';
import { dueStatus, dueText } from '../../progress/due';
import { assignmentsOfTeam } from './assignments';
import { rosterOf, teamForCoach, type Coach } from './teams';

export type Cell =
	| { state: 'not-started'; overdue: boolean }
	| { state: 'in-progress'; percent: number; overdue: boolean }
	| { state: 'completed'; at: Date };

export type GridRow = {
	athlete: { id: string; name: string };
	cells: Cell[];
	latestScore: { percent: number; at: Date } | null;
	lastActivity: Date | null;
};

export type Grid = {
	team: { id: string; name: string };
	assignments: { id: string; courseId: string; title: string; dueAt: Date | null; due: string }[];
	rows: GridRow[];
};

type Row = RecordRow & { user_id: string; course_id: string };

export async function teamGrid(coach: Coach, teamId: string): Promise<Grid | undefined> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return undefined;
	const [roster, assigned] = await Promise.all([rosterOf(team.id), assignmentsOfTeam(team.id)]);
	const at = now();
	const assignments = assigned.flatMap((a) => {
		const course = findCourse(a.courseId);
		return course ? [{ ...a, course }] : [];
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
			due: dueText(dueStatus(a.dueAt, at))
		})),
		rows: roster.map((athlete) => {
			let latestScore: GridRow['latestScore'] = null;
			let lastActivity: Date | null = null;
			const cells = assignments.map((a): Cell => {
				const mine = byLearnerCourse.get(`${athlete.id} ${a.courseId}`) ?? [];
				for (const r of mine) {
					const when = r.at ? new Date(r.at) : null;
					if (!when) continue;
					if (!lastActivity || when > lastActivity) lastActivity = when;
					if (r.kind === 'quiz' && (!latestScore || when > latestScore.at))
						latestScore = { percent: Number(r.percent), at: when };
				}
				const completed = mine.find((r) => r.kind === 'completed');
				if (completed?.at) return { state: 'completed', at: new Date(completed.at) };
				const overdue = dueStatus(a.dueAt, at).kind === 'overdue';
				const records = mine.filter((r) => r.kind === 'lesson' || r.kind === 'quiz');
				if (records.length === 0) return { state: 'not-started', overdue };
				const progress = courseProgress(a.course, recordsFromRows(a.course, records));
				return { state: 'in-progress', percent: progress.percent, overdue };
			});
			return { athlete: { id: athlete.id, name: athlete.name }, cells, latestScore, lastActivity };
		})
	};
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A cell as words, for the page and the CSV alike: the state never depends on colour. */
export function cellText(cell: Cell): string {
	switch (cell.state) {
		case 'completed':
			return `Completed ${day(cell.at)}`;
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
