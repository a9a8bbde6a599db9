// In-app notifications for athletes: what is new for them (an assignment, a due date coming up or
// passed, an invitation, a decision on their coach request), with a matching email for those who
// want it. The writers take the caller's transaction so a notice exists only if its cause does.
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { now } from '../clock';
import { findCourse } from '../content/catalog';
import { db, type Executor } from '../db';
import { isUuid } from '../db/ids';
import {
	notifications,
	teamAssignments,
	teamMembers,
	teams,
	users,
	type NotificationKind
} from '../db/schema';
import { queueMails } from '../mail/outbox';
import { assignmentAppliesTo } from '../teams/assigned';
import { kickMailer } from '../jobs/queue';
import { courseUrl, accountUrl, dashboardUrl, signupUrl } from '../../routes';
import { siteName } from '../config';
import { publicAddress } from '../site/address';
import { unreadOf } from './unread';

/** The same count the session query carries (see validateSessionToken), for after a change. */
export async function unreadCount(userId: string): Promise<number> {
	const [row] = await db().execute<{ n: number }>(sql`select ${unreadOf(userId)} as n`);
	return row?.n ?? 0;
}

export async function notificationsOf(userId: string, limit = 100) {
	return db()
		.select({
			id: notifications.id,
			kind: notifications.kind,
			message: notifications.message,
			detail: notifications.detail,
			href: notifications.href,
			createdAt: notifications.createdAt,
			readAt: notifications.readAt
		})
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
}

/** Marks one of the user's own notifications read; any other id is "not found". */
export async function markRead(userId: string, id: string): Promise<boolean> {
	if (!isUuid(id)) return false;
	const done = await db()
		.update(notifications)
		.set({ readAt: sql`coalesce(${notifications.readAt}, ${now().toISOString()}::timestamptz)` })
		.where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
		.returning({ id: notifications.id });
	return done.length > 0;
}

export async function markAllRead(userId: string): Promise<number> {
	const done = await db()
		.update(notifications)
		.set({ readAt: now() })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
		.returning({ id: notifications.id });
	return done.length;
}

/** An absolute link for a mail, on the site's public address. */
const linkOn = (site: string) => (path: string) => new URL(path, site).href;

/** "Friday 12 March 2027": due dates are the end of a day in UTC. */
export function formatDay(d: Date): string {
	return d.toLocaleDateString('en-GB', {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	});
}

export const courseTitle = (courseId: string) => findCourse(courseId)?.title ?? courseId;

/**
 * Tells the athletes of each assignment's team (or only `userId`, a later joiner) that they have
 * a new course to do. Once per assignment and athlete, whoever calls it again.
 */
export async function notifyAssignments(
	ex: Executor,
	assignmentIds: string[],
	userId?: string,
	at: Date = now()
): Promise<number> {
	if (!assignmentIds.length) return 0;
	const rows = await ex
		.select({
			assignmentId: teamAssignments.id,
			courseId: teamAssignments.courseId,
			dueAt: teamAssignments.dueAt,
			note: teamAssignments.note,
			teamName: teams.name,
			coachName: sql<string>`(select name from ${users} where id = ${teams.coachId})`,
			userId: users.id,
			email: users.email
		})
		.from(teamAssignments)
		.innerJoin(teams, eq(teams.id, teamAssignments.teamId))
		.innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
		.innerJoin(users, eq(users.id, teamMembers.userId))
		.where(
			and(
				inArray(teamAssignments.id, assignmentIds),
				isNull(teamAssignments.withdrawnAt),
				assignmentAppliesTo(teamMembers.userId),
				userId ? eq(teamMembers.userId, userId) : undefined
			)
		);
	const link = linkOn(await publicAddress(ex));
	const compose = (r: (typeof rows)[number]) => {
		const title = courseTitle(r.courseId);
		const due = r.dueAt ? `, due ${formatDay(r.dueAt)}` : '';
		return {
			message: `${r.coachName} assigned you “${title}” (${r.teamName})${due}.`,
			subject: `New course from ${r.coachName}: ${title}`,
			text: [
				`${r.coachName} assigned you “${title}” in the team ${r.teamName}${due}.`,
				r.note ? `Their note: ${r.note}` : '',
				`Start here: ${link(courseUrl(r.courseId))}`
			]
				.filter(Boolean)
				.join('\n\n')
		};
	};
	return notifyOnce(ex, 'assignment.new', rows, compose, at);
}

type Recipient = { assignmentId: string; courseId: string; userId: string; email: string };

/**
 * Writes one notification per (athlete, assignment) of this kind, skipping those that exist, and
 * an email for each one actually written. The unique index decides, so two app instances (or two
 * scans) racing each other write each notice, and its email, once.
 */
export async function notifyOnce<R extends Recipient>(
	ex: Executor,
	kind: NotificationKind,
	rows: R[],
	compose: (r: R) => { message: string; detail?: string; subject: string; text: string },
	at: Date
): Promise<number> {
	if (!rows.length) return 0;
	const composed = rows.map((r) => ({ r, c: compose(r) }));
	const written = await ex
		.insert(notifications)
		.values(
			composed.map(({ r, c }) => ({
				userId: r.userId,
				kind,
				assignmentId: r.assignmentId,
				message: c.message,
				detail: c.detail ?? null,
				href: courseUrl(r.courseId),
				createdAt: at
			}))
		)
		.onConflictDoNothing()
		.returning({ userId: notifications.userId, assignmentId: notifications.assignmentId });
	const fresh = new Set(written.map((w) => `${w.userId} ${w.assignmentId}`));
	await queueMails(
		ex,
		composed
			.filter(({ r }) => fresh.has(`${r.userId} ${r.assignmentId}`))
			.map(({ r, c }) => ({
				userId: r.userId,
				to: r.email,
				kind,
				subject: c.subject,
				text: c.text
			})),
		at
	);
	return written.length;
}

async function notifyOne(
	ex: Executor,
	userId: string,
	kind: NotificationKind,
	content: { message: string; href: string; subject: string; text: string },
	at: Date
) {
	const [user] = await ex.select({ email: users.email }).from(users).where(eq(users.id, userId));
	if (!user) return false;
	await ex
		.insert(notifications)
		.values({ userId, kind, message: content.message, href: content.href, createdAt: at });
	await queueMails(
		ex,
		[{ userId, to: user.email, kind, subject: content.subject, text: content.text }],
		at
	);
	return true;
}

/**
 * For the email invitation: tells an existing account that a coach invited them to a team.
 * `href` is where they accept (a path on this site). Pass the transaction that records the
 * invitation; without one, the mail worker is woken straight away.
 */
export async function notifyInvitation(
	input: { userId: string; teamName: string; coachName: string; href: string },
	ex?: Executor,
	at: Date = now()
): Promise<boolean> {
	const link = linkOn(await publicAddress(ex));
	const done = await notifyOne(
		ex ?? db(),
		input.userId,
		'invitation',
		{
			message: `${input.coachName} invited you to join the team ${input.teamName}.`,
			href: input.href,
			subject: `${input.coachName} invited you to ${input.teamName} on ${siteName()}`,
			text: `${input.coachName} invited you to join the team ${input.teamName}.\n\nSee what the coach would see, and accept or ignore it: ${link(input.href)}`
		},
		at
	);
	if (!ex) void kickMailer();
	return done;
}

/**
 * For the email invitation to an address without an account: a mail with a sign-up link that
 * brings the person back to accept (the invitation stays bound to this address). `teamName` and
 * `coachName` must already be plain lines (mail/plain-text.ts).
 */
export async function mailInvitationToNewcomer(
	input: { to: string; teamName: string; coachName: string; href: string },
	ex: Executor,
	at: Date = now()
): Promise<void> {
	const link = linkOn(await publicAddress(ex));
	await queueMails(
		ex,
		[
			{
				userId: null,
				to: input.to,
				kind: 'invitation',
				subject: `${input.coachName} invited you to ${input.teamName} on ${siteName()}`,
				text: [
					`${input.coachName} invited you to join the team ${input.teamName} on ${siteName()}, where runners take short courses and their coach follows their progress.`,
					`Create your account with this email address (${input.to}), then accept: ${link(signupUrl(input.href))}`,
					`You can read what the coach would see before you accept: ${link(input.href)}`,
					'If you do not know this coach, ignore this mail: nothing happens unless you accept.'
				].join('\n\n')
			}
		],
		at
	);
}

/** For the coach-request queue: tells the person what an admin decided. */
export async function notifyCoachRequestOutcome(
	input: { userId: string; approved: boolean },
	ex?: Executor,
	at: Date = now()
): Promise<boolean> {
	const outcome = input.approved ? 'approved' : 'declined';
	const link = linkOn(await publicAddress(ex));
	const done = await notifyOne(
		ex ?? db(),
		input.userId,
		'coach-request.decided',
		{
			message: `Your request to become a coach was ${outcome}.`,
			href: input.approved ? '/coach' : accountUrl,
			subject: `Your coach request was ${outcome}`,
			text: input.approved
				? `Your request to become a coach on ${siteName()} was approved. Create your first team: ${link('/coach')}`
				: `Your request to become a coach on ${siteName()} was declined. You can keep learning as before: ${link(dashboardUrl)}`
		},
		at
	);
	if (!ex) void kickMailer();
	return done;
}
