// Reminders on PostgreSQL: in-app notices and their emails for new assignments, the reminder
// scan run with the controllable clock (due in 3 days, overdue, never twice), the coaches'
// weekly digest, unsubscribe links and the email opt-out.
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, now, resetClock } from '../../src/lib/server/clock';
import { emailOutbox, enrolments, notifications } from '../../src/lib/server/db/schema';
import { HELD_REASON } from '../../src/lib/server/mail/outbox';
import {
	emailRemindersOn,
	setEmailReminders,
	unsubscribe,
	unsubscribeView
} from '../../src/lib/server/mail/preferences';
import {
	digestText,
	queueWeeklyDigests,
	weeklyDigests
} from '../../src/lib/server/notifications/digest';
import {
	markAllRead,
	markRead,
	notificationsOf,
	notifyInvitation,
	notifyOnce,
	unreadCount
} from '../../src/lib/server/notifications/notifications';
import { scanReminders } from '../../src/lib/server/notifications/reminders';
import { assignCourse } from '../../src/lib/server/teams/assignments';
import { acceptInvitation } from '../../src/lib/server/teams/invitations';
import type { Course } from '../../src/lib/server/content/types';
import { coachWithTeam, finishCourse, person, useFixtureCourse } from '../support/builders';
import { freshDatabase } from '../support/fresh-database';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const TITLE = 'Brewing a pot of tea';

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let course: Course;

beforeAll(async () => {
	({ db } = await freshDatabase());
	course = useFixtureCourse();
});
afterEach(() => resetClock());

/** A coach's team with these athletes in it (joined through an invitation link). */
async function squad(size: number, names: string[] = []) {
	const athletes = [];
	for (let i = 0; i < size; i++) athletes.push(await person('learner', names[i]));
	const { coach, team, inv } = await coachWithTeam(athletes, {
		coachName: 'Coach Carter',
		team: 'Harriers',
		maxUses: 50
	});
	return { coach, team, inv, athletes };
}

const mailsTo = (email: string) =>
	db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
const kindsOf = async (userId: string) =>
	(await db.select().from(notifications).where(eq(notifications.userId, userId)))
		.map((r) => r.kind)
		.sort();

describe('new assignment', () => {
	it('tells each athlete in-app and by a held email, and a later joiner too', async () => {
		const { coach, team, inv, athletes } = await squad(1);
		const [athlete] = athletes;
		const due = new Date(now().getTime() + 10 * DAY);
		const assigned = await assignCourse(coach, team.id, {
			courseId: 'fixture-course',
			dueAt: due,
			note: 'Before Saturday'
		});
		expect(assigned.ok).toBe(true);

		expect(await unreadCount(athlete!.id)).toBe(1);
		const [notice] = await notificationsOf(athlete!.id);
		expect(notice!.message).toBe(
			`Coach Carter assigned you “${TITLE}” (Harriers), due ${due.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}.`
		);
		expect(notice!.href).toBe('/courses/fixture-course');

		const [mail] = await mailsTo(athlete!.email);
		expect(mail).toMatchObject({
			status: 'held',
			reason: HELD_REASON,
			kind: 'assignment.new',
			subject: `New course from Coach Carter: ${TITLE}`
		});
		expect(mail!.textBody).toContain('Their note: Before Saturday');
		expect(mail!.textBody).toContain(mail!.unsubscribeUrl!);
		expect(mail!.unsubscribeUrl).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{22}$/);

		const later = await person();
		expect(await acceptInvitation(inv.code, later.id)).toMatchObject({ ok: true });
		expect(await kindsOf(later.id)).toEqual(['assignment.new']);
		// The first athlete is not told again.
		expect(await kindsOf(athlete!.id)).toEqual(['assignment.new']);
	});

	it('marks one read (only the owner’s) and all read', async () => {
		const { coach, team, athletes } = await squad(2);
		await assignCourse(coach, team.id, { courseId: 'fixture-course' });
		await notifyInvitation({
			userId: athletes[0]!.id,
			teamName: 'Second team',
			coachName: 'Coach Carter',
			href: '/join/abc'
		});
		const [first, second] = await notificationsOf(athletes[0]!.id);
		expect(await unreadCount(athletes[0]!.id)).toBe(2);
		expect(await markRead(athletes[1]!.id, first!.id)).toBe(false);
		expect(await markRead(athletes[0]!.id, first!.id)).toBe(true);
		expect(await unreadCount(athletes[0]!.id)).toBe(1);
		expect(await markAllRead(athletes[0]!.id)).toBe(1);
		expect(await unreadCount(athletes[0]!.id)).toBe(0);
		expect(second).toBeDefined();
		expect(await unreadCount(athletes[1]!.id)).toBe(1);
	});
});

describe('reminder scan', () => {
	it('sends "due soon" inside three days and "overdue" after, each once, and nothing to finishers', async () => {
		const { coach, team, athletes } = await squad(2);
		const [slow, done] = athletes;
		const due = new Date(now().getTime() + 5 * DAY);
		await assignCourse(coach, team.id, { courseId: 'fixture-course', dueAt: due });
		await db
			.update(enrolments)
			.set({ completedAt: now() })
			.where(and(eq(enrolments.userId, done!.id), eq(enrolments.courseId, 'fixture-course')));

		// Five days out: too early.
		expect(await scanReminders(now())).toEqual({ dueSoon: 0, overdue: 0 });
		advanceClock(2 * DAY + HOUR); // under three days left
		expect(await scanReminders(now())).toEqual({ dueSoon: 1, overdue: 0 });
		expect(await scanReminders(now())).toEqual({ dueSoon: 0, overdue: 0 });
		advanceClock(3 * DAY); // past the due date
		// Two instances scanning at once still write each notice once.
		const both = await Promise.all([scanReminders(now()), scanReminders(now())]);
		expect(both.map((r) => r.overdue).sort()).toEqual([0, 1]);
		expect(await scanReminders(now())).toEqual({ dueSoon: 0, overdue: 0 });

		expect(await kindsOf(slow!.id)).toEqual([
			'assignment.due-soon',
			'assignment.new',
			'assignment.overdue'
		]);
		expect(await kindsOf(done!.id)).toEqual(['assignment.new']);
		const mails = (await mailsTo(slow!.email)).map((m) => m.kind).sort();
		expect(mails).toEqual(['assignment.due-soon', 'assignment.new', 'assignment.overdue']);
		const overdue = (await mailsTo(slow!.email)).find((m) => m.kind === 'assignment.overdue');
		expect(overdue!.subject).toContain(`Overdue: “${TITLE}”`);
	});

	it('never writes a notice twice when another instance is writing it at the same moment', async () => {
		const { coach, team, athletes } = await squad(1);
		const [athlete] = athletes;
		const assigned = await assignCourse(coach, team.id, {
			courseId: 'fixture-course',
			dueAt: new Date(now().getTime() - HOUR)
		});
		if (!assigned.ok) throw new Error('not assigned');
		// Instance A has written the overdue notice but not committed yet...
		let commitA!: () => void;
		let writtenA!: () => void;
		const aWrote = new Promise<void>((r) => (writtenA = r));
		const a = db.transaction(async (tx) => {
			await notifyOnce(
				tx,
				'assignment.overdue',
				[
					{
						assignmentId: assigned.id,
						courseId: 'fixture-course',
						userId: athlete!.id,
						email: athlete!.email
					}
				],
				() => ({ message: 'A', subject: 'A', text: 'A' }),
				now()
			);
			writtenA();
			await new Promise<void>((r) => (commitA = r));
		});
		await aWrote;
		// ...when instance B scans: it must wait on A's row, then write nothing.
		let bDone = false;
		const b = scanReminders(now()).finally(() => (bDone = true));
		const waitingOnA = async () => {
			while (!bDone) {
				const [row] = await db.execute<{ n: number }>(
					sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`
				);
				if (row!.n > 0) return;
				await new Promise((r) => setTimeout(r, 20));
			}
		};
		await Promise.race([b, waitingOnA()]);
		commitA();
		await a;
		expect(await b).toEqual({ dueSoon: 0, overdue: 0 });
		expect(await kindsOf(athlete!.id)).toEqual(['assignment.new', 'assignment.overdue']);
		expect((await mailsTo(athlete!.email)).map((m) => m.kind).sort()).toEqual([
			'assignment.new',
			'assignment.overdue'
		]);
	});

	it('writes the notice but no email for an athlete who turned email reminders off', async () => {
		const { coach, team, athletes } = await squad(1);
		const [athlete] = athletes;
		await setEmailReminders(athlete!.id, false);
		await assignCourse(coach, team.id, {
			courseId: 'fixture-course',
			dueAt: new Date(now().getTime() + DAY)
		});
		expect(await scanReminders(now())).toEqual({ dueSoon: 1, overdue: 0 });
		expect(await kindsOf(athlete!.id)).toEqual(['assignment.due-soon', 'assignment.new']);
		expect(await mailsTo(athlete!.email)).toEqual([]);
	});
});

describe('unsubscribe link', () => {
	it('turns email reminders off without logging in, and only for its owner', async () => {
		const { coach, team, athletes } = await squad(2);
		await assignCourse(coach, team.id, { courseId: 'fixture-course' });
		const [mail] = await mailsTo(athletes[0]!.email);
		const token = mail!.unsubscribeUrl!.split('/').pop()!;
		expect(await unsubscribeView(token)).toEqual({
			email: `le…@example.com`,
			emailOn: true
		});
		expect(await unsubscribeView('x'.repeat(22))).toBeUndefined();
		expect(await unsubscribe('not a token')).toBe(false);
		expect(await unsubscribe(token)).toBe(true);
		expect(await emailRemindersOn(athletes[0]!.id)).toBe(false);
		expect(await emailRemindersOn(athletes[1]!.id)).toBe(true);
		// Later mails to them are not written; in-app notices still are.
		await notifyInvitation({
			userId: athletes[0]!.id,
			teamName: 'Club',
			coachName: 'Coach Carter',
			href: '/join/abc'
		});
		expect((await mailsTo(athletes[0]!.email)).map((m) => m.kind)).toEqual(['assignment.new']);
		expect(await unreadCount(athletes[0]!.id)).toBe(2);
	});
});

describe('weekly digest', () => {
	it('lists who is behind and who finished this week, once per coach and week', async () => {
		const { coach, team, athletes } = await squad(3, ['Ada Finisher', 'Ben Behind', 'Cy Fresh']);
		await assignCourse(coach, team.id, {
			courseId: 'fixture-course',
			dueAt: new Date(now().getTime() + 10 * DAY)
		});
		advanceClock(8 * DAY);
		await finishCourse(athletes[0]!.id, course);
		advanceClock(4 * DAY); // two days overdue; Ada finished four days ago
		// Cy's course counts as done long ago (not this week): neither behind nor "finished this week".
		await db
			.update(enrolments)
			.set({ completedAt: new Date(now().getTime() - 20 * DAY) })
			.where(
				and(eq(enrolments.userId, athletes[2]!.id), eq(enrolments.courseId, 'fixture-course'))
			);

		const digests = (await weeklyDigests(now())).filter((d) => d.coachId === coach.id);
		expect(digests).toHaveLength(1);
		const [a] = digests[0]!.assignments;
		expect(a).toMatchObject({
			team: 'Harriers',
			course: TITLE,
			due: 'Overdue by 2 days',
			finished: ['Ada Finisher'],
			behind: [{ name: 'Ben Behind', why: 'Overdue by 2 days' }],
			athletes: 3
		});
		const text = digestText(digests[0]!, 'https://club.example');
		expect(text).toContain('Behind: Ben Behind (overdue by 2 days)');
		expect(text).toContain('Finished this week: Ada Finisher');
		expect(text).not.toContain('Cy Fresh');

		expect(await queueWeeklyDigests(now())).toBeGreaterThanOrEqual(1);
		expect(await queueWeeklyDigests(now())).toBe(0);
		const [mail] = await mailsTo(coach.email);
		expect(mail).toMatchObject({ kind: 'digest.weekly', status: 'held' });
		expect(mail!.textBody).toContain('Behind: Ben Behind');
	});
});
