// The coaches' weekly digest: per team and open assignment, who is behind (not finished and
// overdue, or due within a week) and who finished in the past seven days. One mail per coach
// and week, made unique by its dedupe key, however many instances run the job.
import { and, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { now } from '../clock';
import { db } from '../db';
import { enrolments, teamAssignments, teamMembers, teams, users } from '../db/schema';
import { assignmentAppliesTo } from '../teams/assigned';
import { queueMails } from '../mail/outbox';
import { dueStatus, dueText } from '../../progress/due';
import { teamUrl } from '../../routes';
import { siteName } from '../config';
import { publicAddress } from '../site/address';
import { courseTitle } from './notifications';

const DAY = 24 * 60 * 60 * 1000;

export interface DigestAssignment {
	team: string;
	teamId: string;
	course: string;
	due: string;
	behind: { name: string; why: string }[];
	finished: string[];
	athletes: number;
}

export interface Digest {
	coachId: string;
	email: string;
	name: string;
	assignments: DigestAssignment[];
}

/** Every coach with an open assignment, and what their digest says, as of `at`. */
export async function weeklyDigests(at: Date = now()): Promise<Digest[]> {
	const coach = alias(users, 'coach');
	const rows = await db()
		.select({
			coachId: teams.coachId,
			coachEmail: coach.email,
			coachName: coach.name,
			teamId: teams.id,
			teamName: teams.name,
			assignmentId: teamAssignments.id,
			courseId: teamAssignments.courseId,
			dueAt: teamAssignments.dueAt,
			athleteName: users.name,
			completedAt: enrolments.completedAt
		})
		.from(teams)
		.innerJoin(coach, and(eq(coach.id, teams.coachId), isNull(coach.disabledAt)))
		.innerJoin(
			teamAssignments,
			and(eq(teamAssignments.teamId, teams.id), isNull(teamAssignments.withdrawnAt))
		)
		.innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
		.innerJoin(users, eq(users.id, teamMembers.userId))
		.leftJoin(
			enrolments,
			and(eq(enrolments.userId, users.id), eq(enrolments.courseId, teamAssignments.courseId))
		)
		.where(assignmentAppliesTo(teamMembers.userId))
		.orderBy(teams.name, teamAssignments.createdAt, users.name);

	const digests = new Map<string, Digest>();
	const byAssignment = new Map<string, DigestAssignment>();
	const weekAgo = at.getTime() - 7 * DAY;
	for (const r of rows) {
		let digest = digests.get(r.coachId);
		if (!digest) {
			digest = { coachId: r.coachId, email: r.coachEmail, name: r.coachName, assignments: [] };
			digests.set(r.coachId, digest);
		}
		let a = byAssignment.get(r.assignmentId);
		if (!a) {
			a = {
				team: r.teamName,
				teamId: r.teamId,
				course: courseTitle(r.courseId),
				due: dueText(dueStatus(r.dueAt, at)),
				behind: [],
				finished: [],
				athletes: 0
			};
			byAssignment.set(r.assignmentId, a);
			digest.assignments.push(a);
		}
		a.athletes++;
		if (r.completedAt) {
			const t = r.completedAt.getTime();
			if (t > weekAgo && t <= at.getTime()) a.finished.push(r.athleteName);
			continue;
		}
		const due = dueStatus(r.dueAt, at);
		if (due.kind === 'overdue' || due.kind === 'today' || (due.kind === 'left' && due.days < 7))
			a.behind.push({ name: r.athleteName, why: dueText(due) });
	}
	return [...digests.values()];
}

/** The digest mail's text; its links start with `siteAddress` (site/address.ts). */
export function digestText(d: Digest, siteAddress: string): string {
	const open = (path: string) => new URL(path, siteAddress).href;
	const parts = [`Hello ${d.name}, here is your team's week on ${siteName()}.`];
	for (const a of d.assignments) {
		const lines = [`${a.team}: “${a.course}” (${a.due.toLowerCase()}, ${a.athletes} athletes)`];
		lines.push(
			a.behind.length
				? `  Behind: ${a.behind.map((b) => `${b.name} (${b.why.toLowerCase()})`).join(', ')}`
				: '  Behind: nobody'
		);
		lines.push(
			a.finished.length
				? `  Finished this week: ${a.finished.join(', ')}`
				: '  Finished this week: nobody'
		);
		lines.push(`  Team page: ${open(teamUrl(a.teamId))}`);
		parts.push(lines.join('\n'));
	}
	return parts.join('\n\n');
}

/** The Monday (UTC) of `at`'s week, "YYYY-MM-DD": the digest's once-a-week key. */
export function weekOf(at: Date): string {
	const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
	d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
	return d.toISOString().slice(0, 10);
}

/** Queues this week's digest for every coach who has one; a second run the same week adds none. */
export async function queueWeeklyDigests(at: Date = now()): Promise<number> {
	const digests = await weeklyDigests(at);
	const site = await publicAddress();
	return queueMails(
		db(),
		digests.map((d) => ({
			userId: d.coachId,
			to: d.email,
			kind: 'digest.weekly',
			subject: `Your weekly team digest (week of ${weekOf(at)})`,
			text: digestText(d, site),
			dedupeKey: `digest:${d.coachId}:${weekOf(at)}`
		})),
		at
	);
}
