// The rest of the coaches' feature on PostgreSQL: coach requests and their decision, invitations
// by email (and the wrong account accepting), assistant coaches, team deletion, chosen-athlete
// assignments, due-date changes, the needs-attention rules with the controllable clock, question
// statistics, and coach-set extra time.
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { recentRoleChanges } from '../../src/lib/server/auth/admin-users';
import { advanceClock, now, resetClock } from '../../src/lib/server/clock';
import type { Course } from '../../src/lib/server/content/types';
import * as schema from '../../src/lib/server/db/schema';
import { accommodationOf, setAccommodation } from '../../src/lib/server/teams/accommodation';
import {
	assignCourse,
	assignmentsForAthlete,
	changeDueDate,
	withdrawAssignment
} from '../../src/lib/server/teams/assignments';
import {
	decideCoachRequest,
	latestCoachRequest,
	pendingCoachRequests,
	requestCoachRole
} from '../../src/lib/server/teams/coach-requests';
import { arrangeRows, teamGrid } from '../../src/lib/server/teams/grid';
import {
	acceptInvitation,
	createInvitation,
	invitationsForUser,
	inviteByEmail,
	previewInvitation,
	revokeInvitation
} from '../../src/lib/server/teams/invitations';
import { questionStats } from '../../src/lib/server/teams/questions';
import {
	deleteTeam,
	isMember,
	removeAssistant,
	teamForCoach,
	teamsOfCoach
} from '../../src/lib/server/teams/teams';
import type { Answer } from '../../src/lib/quiz/answers';
import { coachWithTeam, person, useFixtureCourse } from '../support/builders';
import { freshDatabase } from '../support/fresh-database';

const DAY = 24 * 60 * 60 * 1000;
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let course: Course;

beforeAll(async () => {
	({ db } = await freshDatabase());
	course = useFixtureCourse();
});
afterEach(() => resetClock());

const teamWith = (...athletes: { id: string }[]) => coachWithTeam(athletes);

/** A graded attempt at the basics quiz with these answers, scored as the fixture's key says. */
async function attempt(
	userId: string,
	number: number,
	answers: Record<string, Answer>,
	correct: Record<string, boolean>
) {
	const quiz = course.modules[0]!.quiz!;
	const right = Object.values(correct).filter(Boolean).length;
	const percent = Math.round((100 * right) / quiz.questions.length);
	await db.insert(schema.quizAttempts).values({
		userId,
		courseId: course.id,
		quizId: quiz.id,
		number,
		quizVersion: quiz.version,
		questions: quiz.questions,
		answers,
		startedAt: now(),
		submittedAt: now(),
		score: right,
		maxScore: quiz.questions.length,
		percent,
		passed: percent >= 50,
		results: Object.fromEntries(
			Object.entries(correct).map(([id, ok]) => [id, { score: ok ? 1 : 0, points: 1, correct: ok }])
		)
	});
}

describe('asking to become a coach', () => {
	it('approves into the coach role, recorded in role_changes with the admin', async () => {
		const user = await person();
		const admin = await person('admin');
		expect(await requestCoachRole(user, 'I coach the under-16s.')).toEqual({ ok: true });
		// A second request while one waits is refused, and a non-admin cannot see or decide.
		expect((await requestCoachRole(user, 'again')).ok).toBe(false);
		expect(await pendingCoachRequests(user)).toEqual([]);
		const [pending] = (await pendingCoachRequests(admin)).filter((r) => r.email === user.email);
		expect(pending?.note).toBe('I coach the under-16s.');
		expect(await decideCoachRequest(user, pending!.id, 'approved')).toBe(false);
		expect((await latestCoachRequest(user.id))?.status).toBe('pending');

		expect(await decideCoachRequest(admin, pending!.id, 'approved')).toBe(true);
		// Deciding twice does nothing.
		expect(await decideCoachRequest(admin, pending!.id, 'declined')).toBe(false);
		const request = await latestCoachRequest(user.id);
		expect(request?.status).toBe('approved');
		expect(request?.decidedAt).toBeInstanceOf(Date);
		const [role] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
		expect(role?.role).toBe('coach');
		const change = (await recentRoleChanges()).find((c) => c.userEmail === user.email);
		expect(change).toMatchObject({ fromRole: 'learner', toRole: 'coach', changedBy: admin.name });
	});

	it('declines with a reason the user reads, leaving the role alone', async () => {
		const user = await person();
		const admin = await person('admin');
		await requestCoachRole(user, 'Please');
		const request = (await latestCoachRequest(user.id))!;
		expect(await decideCoachRequest(admin, request.id, 'declined', 'Tell us your club.')).toBe(
			true
		);
		expect(await latestCoachRequest(user.id)).toMatchObject({
			status: 'declined',
			reason: 'Tell us your club.'
		});
		const [row] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
		expect(row?.role).toBe('learner');
		// They may ask again after a decline.
		expect(await requestCoachRole(user, 'Club: Harriers')).toEqual({ ok: true });
	});
});

describe('invitations by email', () => {
	it('shows on the invited dashboard, and only that account may accept', async () => {
		const invited = await person();
		const other = await person();
		const { coach, team } = await teamWith();
		const inv = (await inviteByEmail(coach, team.id, {
			email: `  ${invited.email.toUpperCase()} `
		}))!;
		expect((await invitationsForUser(invited)).map((i) => i.code)).toEqual([inv.code]);
		expect(await invitationsForUser(other)).toEqual([]);

		const refused = await acceptInvitation(inv.code, other.id);
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.message).toMatch(/sent to a different account/);
		expect(!refused.ok && refused.message).toContain(other.email);
		expect(!refused.ok && refused.message).not.toContain(invited.email);
		expect((await previewInvitation(inv.code, other.id)).ok).toBe(false);
		expect(await isMember(team.id, other.id)).toBe(false);

		expect(await previewInvitation(inv.code, invited.id)).toMatchObject({
			ok: true,
			role: 'athlete',
			coaches: [{ owner: true }]
		});
		expect((await acceptInvitation(inv.code, invited.id)).ok).toBe(true);
		expect(await isMember(team.id, invited.id)).toBe(true);
		expect(await invitationsForUser(invited)).toEqual([]);
	});

	it('is made the same way whether or not an account has the address', async () => {
		const { coach, team } = await teamWith();
		const existing = await person();
		const a = await inviteByEmail(coach, team.id, { email: existing.email });
		const b = await inviteByEmail(coach, team.id, { email: 'nobody-here@example.com' });
		expect(a && b).toBeTruthy();
		expect(Object.keys(a!).sort()).toEqual(Object.keys(b!).sort());
		expect([a!.maxUses, a!.uses, a!.role]).toEqual([b!.maxUses, b!.uses, b!.role]);
		// Whoever signs up with the address later sees it.
		const later = await createUser({
			name: 'Later',
			email: 'nobody-here@example.com',
			password: 'plum-tractor-71'
		});
		if (!later.ok) throw new Error(later.message);
		expect(await invitationsForUser(later.value)).toHaveLength(1);
	});

	it('stops working when revoked or expired', async () => {
		const invited = await person();
		const { coach, team } = await teamWith();
		const inv = (await inviteByEmail(coach, team.id, { email: invited.email }))!;
		expect(await revokeInvitation(coach, team.id, inv.id)).toBe(true);
		expect(await invitationsForUser(invited)).toEqual([]);
		expect((await acceptInvitation(inv.code, invited.id)).ok).toBe(false);
		const inv2 = (await inviteByEmail(coach, team.id, { email: invited.email, days: 1 }))!;
		advanceClock(2 * DAY);
		expect(await invitationsForUser(invited)).toEqual([]);
		expect((await acceptInvitation(inv2.code, invited.id)).ok).toBe(false);
	});
});

describe('assistant coaches', () => {
	it('see and work the team, but cannot delete it, remove its coach or make assistants', async () => {
		const athlete = await person();
		const { coach, team } = await teamWith(athlete);
		const assistant = await person('coach');
		const learner = await person();
		const inv = (await createInvitation(coach, team.id, {
			days: 7,
			maxUses: 5,
			role: 'assistant'
		}))!;
		// Only coaches can become assistants; the team's own coach is one already.
		const asLearner = await acceptInvitation(inv.code, learner.id);
		expect(!asLearner.ok && asLearner.message).toMatch(/only coaches can accept/);
		expect((await acceptInvitation(inv.code, coach.id)).ok).toBe(false);
		expect(await acceptInvitation(inv.code, assistant.id)).toMatchObject({
			ok: true,
			role: 'assistant'
		});
		expect(await isMember(team.id, assistant.id)).toBe(false);

		expect((await teamForCoach(assistant, team.id))?.isOwner).toBe(false);
		expect((await teamsOfCoach(assistant)).map((t) => t.id)).toContain(team.id);
		expect((await teamGrid(assistant, team.id))?.rows.map((r) => r.athlete.id)).toEqual([
			athlete.id
		]);
		expect((await assignCourse(assistant, team.id, { courseId: course.id })).ok).toBe(true);
		expect(await inviteByEmail(assistant, team.id, { email: 'x@example.com' })).toBeDefined();
		expect(
			await inviteByEmail(assistant, team.id, { email: 'y@example.com', role: 'assistant' })
		).toBeUndefined();
		expect(
			await createInvitation(assistant, team.id, { days: 1, maxUses: 1, role: 'assistant' })
		).toBeUndefined();
		expect(await revokeInvitation(assistant, team.id, inv.id)).toBe(false);
		expect(await deleteTeam(assistant, team.id)).toBe(false);
		expect(await removeAssistant(assistant, team.id, coach.id)).toBe(false);
		expect(await teamForCoach(coach, team.id)).toBeDefined();

		// The coach removes the assistant, whose access ends at once.
		expect(await removeAssistant(coach, team.id, assistant.id)).toBe(true);
		expect(await teamForCoach(assistant, team.id)).toBeUndefined();
	});

	it('are listed to athletes on the consent page', async () => {
		const { coach, team, inv } = await teamWith();
		const assistant = await person('coach', 'Assistant Ann');
		const aInv = (await inviteByEmail(coach, team.id, {
			email: assistant.email,
			role: 'assistant'
		}))!;
		expect((await acceptInvitation(aInv.code, assistant.id)).ok).toBe(true);
		const athlete = await person();
		const preview = await previewInvitation(inv.code, athlete.id);
		expect(preview.ok && preview.coaches.map((c) => [c.name, c.owner])).toEqual([
			[expect.stringMatching(/^coach \d+$/), true],
			['Assistant Ann', false]
		]);
	});
});

describe('deleting a team', () => {
	it("removes the team and the coach's access, never the athletes' progress", async () => {
		const athlete = await person();
		const { coach, team } = await teamWith(athlete);
		await assignCourse(coach, team.id, { courseId: course.id });
		await db.insert(schema.lessonProgress).values({
			userId: athlete.id,
			courseId: course.id,
			lessonId: course.lessons[0]!.id,
			lessonVersion: 'v'
		});
		await attempt(athlete.id, 1, { 'warm-first': 'a' }, { 'warm-first': true });
		const other = await person('coach');
		expect(await deleteTeam(other, team.id)).toBe(false);
		expect(await deleteTeam(coach, team.id)).toBe(true);
		expect(await teamForCoach(coach, team.id)).toBeUndefined();
		const enrolled = await db
			.select()
			.from(schema.enrolments)
			.where(eq(schema.enrolments.userId, athlete.id));
		expect(enrolled).toHaveLength(1);
		const lessons = await db
			.select()
			.from(schema.lessonProgress)
			.where(eq(schema.lessonProgress.userId, athlete.id));
		expect(lessons).toHaveLength(1);
		const attempts = await db
			.select()
			.from(schema.quizAttempts)
			.where(eq(schema.quizAttempts.userId, athlete.id));
		expect(attempts).toHaveLength(1);
	});
});

describe('assignments to chosen athletes', () => {
	it('reach only the chosen athletes, not others nor later joiners', async () => {
		const [a, b] = [await person(), await person()];
		const { coach, team, inv } = await teamWith(a, b);
		const stranger = await person();
		expect(
			await assignCourse(coach, team.id, { courseId: course.id, athleteIds: [a.id, stranger.id] })
		).toEqual({ ok: false, reason: 'unknown-athlete' });
		const result = await assignCourse(coach, team.id, { courseId: course.id, athleteIds: [a.id] });
		expect(result.ok).toBe(true);
		const enrolled = async (id: string) =>
			(
				await db
					.select()
					.from(schema.enrolments)
					.where(and(eq(schema.enrolments.userId, id), eq(schema.enrolments.courseId, course.id)))
			).length;
		expect(await enrolled(a.id)).toBe(1);
		expect(await enrolled(b.id)).toBe(0);
		expect(await enrolled(stranger.id)).toBe(0);
		expect((await assignmentsForAthlete(a.id)).map((x) => x.courseId)).toEqual([course.id]);
		expect(await assignmentsForAthlete(b.id)).toEqual([]);
		const later = await person();
		await acceptInvitation(inv.code, later.id);
		expect(await enrolled(later.id)).toBe(0);
		const grid = (await teamGrid(coach, team.id))!;
		const cell = (id: string) => grid.rows.find((r) => r.athlete.id === id)!.cells[0]!.state;
		expect([cell(a.id), cell(b.id), cell(later.id)]).toEqual([
			'not-started',
			'not-assigned',
			'not-assigned'
		]);
	});

	it('change due date and withdraw without touching progress', async () => {
		const a = await person();
		const { coach, team } = await teamWith(a);
		const other = await person('coach');
		const result = await assignCourse(coach, team.id, { courseId: course.id });
		if (!result.ok) throw new Error('not assigned');
		const due = new Date('2031-05-01T23:59:59.999Z');
		expect(await changeDueDate(other, team.id, result.id, due)).toBe(false);
		expect(await changeDueDate(coach, team.id, result.id, due)).toBe(true);
		expect((await assignmentsForAthlete(a.id))[0]?.dueAt).toEqual(due);
		expect(await changeDueDate(coach, team.id, result.id, null)).toBe(true);
		expect((await assignmentsForAthlete(a.id))[0]?.dueAt).toBeNull();
		expect(await withdrawAssignment(coach, team.id, result.id)).toBe(true);
		expect(await changeDueDate(coach, team.id, result.id, due)).toBe(false);
		expect(await assignmentsForAthlete(a.id)).toEqual([]);
		expect(
			await db.select().from(schema.enrolments).where(eq(schema.enrolments.userId, a.id))
		).toHaveLength(1);
	});
});

describe('needs attention', () => {
	it('flags overdue, failing the same quiz twice, and 7 quiet days with an open assignment', async () => {
		const [late, failing, quiet, busy] = [
			await person('learner', 'Late'),
			await person('learner', 'Failing'),
			await person('learner', 'Quiet'),
			await person('learner', 'Busy')
		];
		const { coach, team } = await teamWith(late, failing, quiet, busy);
		await assignCourse(coach, team.id, {
			courseId: course.id,
			dueAt: new Date(now().getTime() + 3 * DAY)
		});
		await attempt(failing.id, 1, {}, { 'warm-first': false });
		await attempt(failing.id, 2, {}, { 'warm-first': false });
		let grid = (await teamGrid(coach, team.id))!;
		const reasons = (g: typeof grid, id: string) =>
			g.rows.find((r) => r.athlete.id === id)!.attention;
		expect(reasons(grid, failing.id)).toEqual(['Failed The basics quiz 2 times']);
		// The same course assigned again, to chosen athletes: their attempts still count once.
		await assignCourse(coach, team.id, { courseId: course.id, athleteIds: [failing.id] });
		grid = (await teamGrid(coach, team.id))!;
		expect(reasons(grid, failing.id)).toEqual(['Failed The basics quiz 2 times']);
		expect(grid.rows.find((r) => r.athlete.id === failing.id)!.latestScore?.percent).toBe(0);
		expect(reasons(grid, late.id)).toEqual([]);
		expect(reasons(grid, quiet.id)).toEqual([]);

		advanceClock(6 * DAY);
		await attempt(busy.id, 1, {}, { 'warm-first': true, 'brew-steps': true });
		advanceClock(1 * DAY + 60_000);
		grid = (await teamGrid(coach, team.id))!;
		expect(reasons(grid, late.id)).toEqual([
			'Overdue: Brewing a pot of tea',
			'No activity for 7 days'
		]);
		// Busy was active a day ago: overdue, but not quiet.
		expect(reasons(grid, busy.id)).toEqual(['Overdue: Brewing a pot of tea']);

		// The filters and sorting work on the same rows.
		const names = (rows: ReturnType<typeof arrangeRows>) => rows.map((r) => r.athlete.name);
		expect(names(arrangeRows(grid, { by: 'name', dir: 'desc' }, 'all'))).toEqual([
			'Quiet',
			'Late',
			'Failing',
			'Busy'
		]);
		expect(names(arrangeRows(grid, { by: 'activity', dir: 'desc' }, 'not-started'))).toEqual([
			'Late',
			'Quiet'
		]);
		expect(names(arrangeRows(grid, { by: 'score', dir: 'desc' }, 'overdue'))[0]).toBe('Busy');

		// The latest score is the latest attempt's, not the best one.
		const busyRow = (g: typeof grid) => g.rows.find((r) => r.athlete.id === busy.id)!;
		const best = busyRow(grid).latestScore!.percent;
		expect(best).toBeGreaterThan(0);
		advanceClock(60_000);
		const retried = now().getTime();
		await attempt(busy.id, 2, {}, { 'warm-first': false });
		grid = (await teamGrid(coach, team.id))!;
		expect(busyRow(grid).latestScore!.percent).toBe(0);
		expect(busyRow(grid).latestScore!.at.getTime()).toBeGreaterThanOrEqual(retried);
		expect(busyRow(grid).lastActivity).toEqual(busyRow(grid).latestScore!.at);
	});
});

describe('question statistics', () => {
	it("gives each question's first-attempt share right, hardest first, with the common wrong answer", async () => {
		const athletes = [await person(), await person(), await person(), await person()] as const;
		const { coach, team } = await teamWith(...athletes);
		await assignCourse(coach, team.id, { courseId: course.id });
		const [a, b, c, d] = athletes;
		await attempt(
			a.id,
			1,
			{ 'warm-first': 'b', 'fresh-water': true },
			{ 'warm-first': false, 'fresh-water': true }
		);
		await attempt(
			b.id,
			1,
			{ 'warm-first': 'b', 'fresh-water': true },
			{ 'warm-first': false, 'fresh-water': true }
		);
		await attempt(
			c.id,
			1,
			{ 'warm-first': 'c', 'fresh-water': false },
			{ 'warm-first': false, 'fresh-water': false }
		);
		await attempt(
			d.id,
			1,
			{ 'warm-first': 'a', 'fresh-water': true },
			{ 'warm-first': true, 'fresh-water': true }
		);
		// Second attempts do not count, nor athletes outside the team.
		await attempt(a.id, 2, { 'warm-first': 'a' }, { 'warm-first': true });
		const outsider = await person();
		await attempt(outsider.id, 1, { 'warm-first': 'a' }, { 'warm-first': true });

		expect(await questionStats(await person('coach'), team.id)).toBeUndefined();
		const stats = (await questionStats(coach, team.id))!;
		const basics = stats.quizzes.find((q) => q.quizId === 'basics-quiz')!;
		expect(basics.questions.slice(0, 2).map((q) => [q.id, q.percent, q.right, q.answered])).toEqual(
			[
				['warm-first', 25, 1, 4],
				['fresh-water', 75, 3, 4]
			]
		);
		expect(basics.questions[0]!.commonWrong).toEqual({ text: 'Chill the pot', count: 2 });
		expect(basics.questions[0]!.promptHtml).toContain('before');
		expect(basics.questions[1]!.commonWrong).toEqual({ text: 'False', count: 1 });
		// Not answered by anyone yet: last.
		expect(basics.questions[2]).toMatchObject({ id: 'brew-steps', answered: 0 });
	});
});

describe('extra time set by a coach', () => {
	it('sets it for athletes in their teams only, and the athlete reads it', async () => {
		const athlete = await person();
		const outsider = await person();
		const { coach, team } = await teamWith(athlete);
		const other = await person('coach');
		expect(await setAccommodation(coach, team.id, athlete.id, 50)).toBe(true);
		const forTeam = { sitePercent: 0, teams: [{ team: team.name, percent: 50 }] };
		expect(await accommodationOf(athlete.id)).toEqual(forTeam);
		// For this team's courses only: the site-wide setting (an admin's) is untouched.
		const [row] = await db.select().from(schema.users).where(eq(schema.users.id, athlete.id));
		expect(row?.timeMultiplier).toBe(1);
		expect(await setAccommodation(coach, team.id, outsider.id, 50)).toBe(false);
		expect(await setAccommodation(other, team.id, athlete.id, 100)).toBe(false);
		expect(await setAccommodation(coach, team.id, athlete.id, 301)).toBe(false);
		expect(await setAccommodation(coach, team.id, athlete.id, -5)).toBe(false);
		expect(await accommodationOf(outsider.id)).toEqual({ sitePercent: 0, teams: [] });
		expect(await accommodationOf(athlete.id)).toEqual(forTeam);
	});
});
