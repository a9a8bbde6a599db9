// A learner's data on PostgreSQL: the export holds everything that is theirs (and no answer key),
// and removing the account empties it of personal data and sessions while the answers still
// count for the team, and its certificates' verification says the holder removed the account.
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createUser } from '../../src/lib/server/auth/accounts';
import { updateUser } from '../../src/lib/server/auth/admin-users';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { certificateByCode } from '../../src/lib/server/certificates/records';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { quizAttempts, teamMembers, users } from '../../src/lib/server/db/schema';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { enrol } from '../../src/lib/server/learning/progress';
import { deleteAccount } from '../../src/lib/server/privacy/deletion';
import { personalData } from '../../src/lib/server/privacy/export';
import { startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import type { Quiz } from '../../src/lib/quiz/types';
import { teamGrid } from '../../src/lib/server/teams/grid';
import { acceptInvitation, createInvitation } from '../../src/lib/server/teams/invitations';
import { createTeam, rosterOf } from '../../src/lib/server/teams/teams';
import { setTimeZone } from '../../src/lib/server/auth/time-zone';
import { queueWeeklyDigests } from '../../src/lib/server/notifications/digest';
import { recentMails } from '../../src/lib/server/mail/outbox';
import { setAccommodation } from '../../src/lib/server/teams/accommodation';
import { assignCourse } from '../../src/lib/server/teams/assignments';
import { requestCoachRole } from '../../src/lib/server/teams/coach-requests';
import { keyAnswers } from '../support/answer-key';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
const PASSWORD = 'plum-tractor-71';
let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let sql: Awaited<ReturnType<typeof freshDatabase>>['sql'];
let course: Course;

beforeAll(async () => {
	({ db, sql } = await freshDatabase());
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(JSON.stringify(loaded.problems));
	course = loaded.course;
	useCourses([course]);
});

let n = 0;
async function person(name: string, role: 'learner' | 'coach' = 'learner') {
	const made = await createUser({ name, email: `privacy-${++n}@example.com`, password: PASSWORD });
	if (!made.ok) throw new Error(made.message);
	if (role === 'coach') await updateUser({ id: made.value.id }, { role: 'coach' });
	return { ...made.value, role };
}

async function take(userId: string, quiz: Quiz, right = true) {
	const started = await startAttempt(userId, course, quiz);
	if (!started.ok) throw new Error('not started');
	const answers = right ? keyAnswers(started.attempt.questions) : {};
	return submitAttempt(userId, started.attempt.id, course, quiz, answers);
}

/** A learner in a coach's team who finished the course (certificate) and has an open attempt. */
async function athleteWithHistory() {
	const coach = await person('Coach Carter', 'coach');
	const team = (await createTeam(coach, { name: 'Harriers', season: '2027' }))!;
	const inv = (await createInvitation(coach, team.id, { days: 7, maxUses: 5 }))!;
	const athlete = await person('Ada Runner');
	expect((await acceptInvitation(inv.code, athlete.id)).ok).toBe(true);
	await enrol(athlete.id, course);
	for (const l of course.lessons) await markLessonDone(athlete.id, course, l);
	await take(athlete.id, course.modules[0]!.quiz!, false);
	await take(athlete.id, course.modules[0]!.quiz!);
	await take(athlete.id, course.modules[1]!.quiz!);
	const done = await take(athlete.id, course.finalExam!);
	expect(done!.certificate).not.toBeNull();
	// Left open: its questions (with their keys) must not be exported.
	expect((await startAttempt(athlete.id, course, course.modules[0]!.quiz!)).ok).toBe(true);
	return { coach, team, athlete };
}

describe('downloading my data', () => {
	it('holds the profile, progress, attempts with answers, certificates and teams, and no key', async () => {
		const { athlete } = await athleteWithHistory();
		const data = (await personalData(athlete.id, 'https://learn.example.org'))!;
		expect(data.profile).toMatchObject({
			name: 'Ada Runner',
			email: athlete.email,
			role: 'learner',
			extraTimeByTeam: []
		});
		expect(data.enrolments.map((e) => [e.courseId, e.completedAt instanceof Date])).toEqual([
			[course.id, true]
		]);
		expect(data.lessonsDone.map((l) => l.lessonId).sort()).toEqual(
			course.lessons.map((l) => l.id).sort()
		);
		expect(data.quizAttempts).toHaveLength(5);
		const graded = data.quizAttempts.filter((a) => a.submittedAt);
		expect(graded.map((a) => a.passed)).toEqual([false, true, true, true]);
		expect(Object.keys(graded[1]!.answers).length).toBeGreaterThan(0);
		expect(data.certificates).toHaveLength(1);
		expect(data.certificates[0]).toMatchObject({
			holderName: 'Ada Runner',
			courseTitle: course.title
		});
		expect(data.certificates[0]!.verificationUrl).toMatch(
			/^https:\/\/learn\.example\.org\/verify\/\w+/
		);
		expect(data.teamMemberships).toEqual([
			expect.objectContaining({ team: 'Harriers', season: '2027', coach: 'Coach Carter' })
		]);
		expect(data.events.map((e) => e.type)).toContain('course.completed');
		// Every graded question became a review card: they are the person's data too.
		expect(data.review.cards.length).toBeGreaterThan(0);
		expect(data.review.cards[0]!.item).toMatch(/^quiz:/);
		const text = JSON.stringify(data);
		for (const secret of [
			'passwordHash',
			'password_hash',
			'$argon2',
			'"questions"',
			'"question"',
			'"correct"',
			'"seed"'
		])
			expect(text).not.toContain(secret);
	});
});

describe('removing my account', () => {
	it('refuses a wrong password and changes nothing', async () => {
		const someone = await person('Still Here');
		const refused = await deleteAccount(someone.id, 'not-my-password');
		expect(refused).toEqual({
			ok: false,
			field: 'password',
			message: 'Your password is not correct.'
		});
		expect((await authenticate(someone.email, PASSWORD, null)).ok).toBe(true);
	});

	it('removes personal data and sessions, keeps anonymous answers for the team, and marks certificates', async () => {
		const { coach, team, athlete } = await athleteWithHistory();
		const token = generateSessionToken();
		await createSession(token, athlete.id);
		const [cert] = (await personalData(athlete.id, ''))!.certificates;
		const code = cert!.verificationUrl.split('/').at(-1)!;
		const attemptsBefore = await db
			.select()
			.from(quizAttempts)
			.where(eq(quizAttempts.userId, athlete.id));
		expect((await certificateByCode(code))?.holderRemoved).toBe(false);

		expect(await deleteAccount(athlete.id, PASSWORD)).toEqual({ ok: true });

		// Personal data gone: no name, email or usable password; sessions ended; no log-in.
		const [row] = await db.select().from(users).where(eq(users.id, athlete.id));
		expect(row).toMatchObject({ name: 'Removed account', certificateName: null });
		expect(row!.email).not.toContain('privacy-');
		expect(row!.deletedAt).not.toBeNull();
		expect(JSON.stringify(row)).not.toContain('Ada');
		expect(await validateSessionToken(token)).toBeNull();
		expect((await authenticate(athlete.email, PASSWORD, null)).ok).toBe(false);
		expect(await personalData(athlete.id, '')).toBeUndefined();
		// The email is free for a new account.
		expect(
			(await createUser({ name: 'Ada Again', email: athlete.email, password: PASSWORD })).ok
		).toBe(true);

		// The certificate record stays, without the name, and says the holder left.
		const record = await certificateByCode(code);
		expect(record?.holderName).toBe('');
		expect(record?.holderRemoved).toBe(true);

		// Answers still count in anonymous statistics: the attempts and the membership remain...
		const attemptsAfter = await db
			.select()
			.from(quizAttempts)
			.where(eq(quizAttempts.userId, athlete.id));
		expect(attemptsAfter.map((a) => [a.id, a.answers, a.score])).toEqual(
			attemptsBefore.map((a) => [a.id, a.answers, a.score])
		);
		expect(
			await db.select().from(teamMembers).where(eq(teamMembers.userId, athlete.id))
		).toHaveLength(1);
		// ...but no coach page lists the person any more.
		expect(await rosterOf(team.id)).toEqual([]);
		expect((await teamGrid(coach, team.id))!.rows).toEqual([]);
	});

	it('leaves the name, email and id in no table, except the anonymous rows kept for statistics', async () => {
		const admin = await person('Ada Admin');
		await updateUser({ id: admin.id }, { role: 'admin' });
		const coach = await person('Coach Quist', 'coach');
		const team = (await createTeam(coach, { name: 'Striders', season: '2027' }))!;
		const inv = (await createInvitation(coach, team.id, { days: 7, maxUses: 5 }))!;
		const name = 'Zebulon Marchetti-Quorn';
		const made = await createUser({ name, email: 'zebulon.mq@example.com', password: PASSWORD });
		if (!made.ok) throw new Error(made.message);
		const athlete = made.value;
		expect((await acceptInvitation(inv.code, athlete.id)).ok).toBe(true);
		expect((await assignCourse(coach, team.id, { courseId: course.id })).ok).toBe(true);
		for (const l of course.lessons) await markLessonDone(athlete.id, course, l);
		await take(athlete.id, course.modules[0]!.quiz!);
		await take(athlete.id, course.modules[1]!.quiz!);
		expect((await take(athlete.id, course.finalExam!))!.certificate).not.toBeNull();
		// What can reveal the person: a time zone, extra time from an admin and from the coach (a
		// health accommodation), a coach request's note, and the coach's digest naming them.
		await setTimeZone(athlete.id, 'Pacific/Chatham');
		await updateUser({ id: athlete.id }, { timeMultiplier: 2 }, admin.id);
		expect(await setAccommodation(coach, team.id, athlete.id, 50)).toBe(true);
		expect((await requestCoachRole({ ...athlete }, `I am ${name}, I coach.`)).ok).toBe(true);
		expect(await queueWeeklyDigests()).toBeGreaterThan(0);
		const digest = (await recentMails()).find((m) => m.kind === 'digest.weekly')!;
		expect(digest.textBody).toContain(name);

		expect(await deleteAccount(athlete.id, PASSWORD)).toEqual({ ok: true });

		// Kept by design: the emptied account row, and its anonymous answers, progress and
		// membership (so a team's question statistics still count them), and the certificate
		// record (without the name, so its verification page says the holder left).
		const keptForStatistics = [
			'public.users.id',
			'public.users.email', // removed-<id>@removed.invalid
			'public.quiz_attempts.user_id',
			'public.team_members.user_id',
			'public.enrolments.user_id',
			'public.lesson_progress.user_id',
			'public.certificates.user_id',
			'public.domain_events.user_id'
		];
		const idFound = await whereFound(athlete.id);
		expect({
			id: idFound.filter((column) => !keptForStatistics.includes(column)),
			name: await whereFound(name),
			surname: await whereFound('Marchetti'),
			email: await whereFound('zebulon.mq@example.com'),
			timeZone: await whereFound('Pacific/Chatham')
		}).toEqual({ id: [], name: [], surname: [], email: [], timeZone: [] });
		// The coach's digest is still there, without the name.
		const after = (await recentMails()).find((m) => m.id === digest.id)!;
		expect(after.textBody).toContain('Removed account');
		const [row] = await db.select().from(users).where(eq(users.id, athlete.id));
		expect(row).toMatchObject({ timeZone: null, timeMultiplier: 1 });
	});

	it('is refused to coaches, who are asked to give up the role first', async () => {
		const coach = await person('Coach Only', 'coach');
		const refused = await deleteAccount(coach.id, PASSWORD);
		expect(refused.ok).toBe(false);
		expect((await authenticate(coach.email, PASSWORD, null)).ok).toBe(true);
	});
});

/** Every column of every table (all schemas but the system's) whose text holds `needle`. */
async function whereFound(needle: string): Promise<string[]> {
	const columns = await sql<{ s: string; t: string; c: string }[]>`
		select c.table_schema as s, c.table_name as t, c.column_name as c
		  from information_schema.columns c
		  join information_schema.tables t
		    on t.table_schema = c.table_schema and t.table_name = c.table_name
		 where t.table_type = 'BASE TABLE'
		   and c.table_schema not in ('pg_catalog', 'information_schema')
		 order by 1, 2, 3`;
	const found: string[] = [];
	for (const { s, t, c } of columns) {
		const hit = await sql.unsafe(
			`select 1 from "${s}"."${t}" where position(lower($1) in lower("${c}"::text)) > 0 limit 1`,
			[needle]
		);
		if (hit.length) found.push(`${s}.${t}.${c}`);
	}
	return found;
}
