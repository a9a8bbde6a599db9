// Seeds the benchmark's database through the platform's own services (accounts, sessions,
// enrolment, lessons, attempts, teams, invitations, assignments, certificates), so every row
// is one the app itself could have written. See the README's "Performance" section for the one
// shortcut (the password hash shared by bulk learners, and the 49,000 extra learners).
import { sql } from 'drizzle-orm';
import { createUser } from '../../src/lib/server/auth/accounts';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { findCourse } from '../../src/lib/server/content/catalog';
import type { Course } from '../../src/lib/server/content/types';
import { db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { enrol } from '../../src/lib/server/learning/progress';
import { saveAnswers, startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import { assignCourse } from '../../src/lib/server/teams/assignments';
import { acceptInvitation, createInvitation } from '../../src/lib/server/teams/invitations';
import { createTeam, type Coach } from '../../src/lib/server/teams/teams';
import { keyAnswers } from '../../tests/support/answer-key';
import { BENCH_COURSES } from './courses';

/** Runs `fn` over `items`, `n` at a time. */
export async function inParallel<T, R>(
	items: T[],
	n: number,
	fn: (item: T, i: number) => Promise<R>
) {
	const out: R[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(n, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await fn(items[i]!, i);
			}
		})
	);
	return out;
}

export interface Learner {
	id: string;
	cookie: string;
}

export interface Seeded {
	learners: Learner[];
	coachCookie: string;
	bigTeamId: string;
	smallTeamId: string;
	certificateCodes: string[];
	/** Learners with an open attempt at bench-course-5's basics quiz (quiz page, save). */
	openQuizLearners: Learner[];
	/** Due true/false review cards to answer, one request each (review answer). */
	reviewPool: { learner: Learner; cardId: string; round: number; questionId: string }[];
	/** Open attempts to submit, one request each: [learner, course]. */
	submitPool: { learner: Learner; courseId: string; moduleId: string }[];
	timings: Record<string, number>;
}

const PASSWORD = 'plum-tractor-71';
/** Learners signed up through createUser itself (argon2 per account, ~50 ms of CPU each). */
const SIGNED_UP = 50;
const CONCURRENCY = 12;

const course = (id: string) => {
	const c = findCourse(id);
	if (!c) throw new Error(`bench course ${id} not loaded`);
	return c;
};

async function newSession(userId: string): Promise<string> {
	const token = generateSessionToken();
	await createSession(token, userId);
	return `session=${token}`;
}

async function completeCourse(userId: string, c: Course) {
	for (const lesson of c.lessons) await markLessonDone(userId, c, lesson);
	for (const quiz of [
		...c.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])),
		...(c.finalExam ? [c.finalExam] : [])
	]) {
		const started = await startAttempt(userId, c, quiz);
		if (!started.ok) throw new Error(`could not start ${quiz.id}`);
		await submitAttempt(userId, started.attempt.id, c, quiz, keyAnswers(started.attempt.questions));
	}
}

export async function seed(options: {
	learners: number;
	submitPool: number;
	log: (m: string) => void;
}): Promise<Seeded> {
	const timings: Record<string, number> = {};
	let t = Date.now();
	const lap = (name: string) => {
		timings[name] = Date.now() - t;
		options.log(`  ${name}: ${(timings[name] / 1000).toFixed(1)} s`);
		t = Date.now();
	};
	const courses = BENCH_COURSES.map(course);

	// Accounts. The first SIGNED_UP go through createUser (password rules, argon2 each); the rest
	// share one argon2 hash made by the same hashPassword, inserted as createUser inserts them,
	// because 1,000 hashes cost about a minute of CPU that says nothing about serving pages.
	const coachResult = await createUser({
		name: 'Coach Bench',
		email: 'coach@bench.test',
		password: PASSWORD,
		role: 'coach'
	});
	if (!coachResult.ok) throw new Error(coachResult.message);
	const coach: Coach = { id: coachResult.value.id, role: 'coach' };
	const ids: string[] = await inParallel(
		Array.from({ length: SIGNED_UP }, (_, i) => i),
		CONCURRENCY,
		async (i) => {
			const r = await createUser({
				name: `Learner ${i}`,
				email: `learner${i}@bench.test`,
				password: PASSWORD
			});
			if (!r.ok) throw new Error(r.message);
			return r.value.id;
		}
	);
	const sharedHash = await hashPassword(PASSWORD);
	for (let from = SIGNED_UP; from < options.learners; from += 500) {
		const rows = Array.from({ length: Math.min(500, options.learners - from) }, (_, k) => ({
			name: `Learner ${from + k}`,
			email: `learner${from + k}@bench.test`,
			passwordHash: sharedHash
		}));
		const inserted = await db().insert(users).values(rows).returning({ id: users.id });
		ids.push(...inserted.map((r) => r.id));
	}
	lap('accounts');

	const learners: Learner[] = await inParallel(ids, CONCURRENCY, async (id) => ({
		id,
		cookie: await newSession(id)
	}));
	const coachCookie = await newSession(coach.id);
	lap('sessions');

	// Teams: 500 athletes with five assigned courses, and a second team of 50 for the growth check.
	const makeTeam = async (name: string, members: Learner[]) => {
		const team = (await createTeam(coach, { name, season: '2026' }))!;
		for (const c of courses)
			await assignCourse(coach, team.id, {
				courseId: c.id,
				dueAt: new Date(Date.now() + 7 * 86_400_000)
			});
		const invitation = (await createInvitation(coach, team.id, {
			days: 30,
			maxUses: members.length
		}))!;
		await inParallel(members, CONCURRENCY, async (m) => {
			const r = await acceptInvitation(invitation.code, m.id);
			if (!r.ok) throw new Error(r.message);
		});
		return team.id;
	};
	const bigTeamId = await makeTeam('Distance squad', learners.slice(0, 500));
	const smallTeamId = await makeTeam('Sprint group', learners.slice(500, 550));
	lap('teams');

	// Everyone else enrols in all five courses themselves.
	await inParallel(learners.slice(500), CONCURRENCY, async (l) => {
		for (const c of courses) await enrol(l.id, c);
	});
	lap('enrolments');

	// Lesson progress and a graded attempt (the advanced quiz of course 1) for every learner, more
	// for some; the first 60 complete course 1 and hold its certificate.
	await inParallel(learners, CONCURRENCY, async (l, i) => {
		const c = courses[0]!;
		if (i < 60) return completeCourse(l.id, c);
		for (const lesson of c.lessons.slice(0, 1 + (i % c.lessons.length)))
			await markLessonDone(l.id, c, lesson);
		const quiz = c.modules[1]!.quiz!;
		const started = await startAttempt(l.id, c, quiz);
		if (!started.ok) throw new Error('start refused');
		const answers = keyAnswers(started.attempt.questions);
		if (i % 3 === 0) delete answers.tf1;
		await submitAttempt(l.id, started.attempt.id, c, quiz, answers);
	});
	lap('progress and graded attempts');
	// Grading made review cards; a day later they are all due (review page, review answer).
	await db().execute(sql`update review_cards set due_at = now() - interval '1 minute'`);
	const byId = new Map(learners.map((l) => [l.id, l]));
	const reviewPool = (
		await db().execute<{ id: string; user_id: string; round: number; question_id: string }>(
			sql`select id, user_id, round, question->>'id' as question_id from review_cards
				where question->>'type' = 'truefalse' order by user_id, id`
		)
	).flatMap((r) => {
		const learner = byId.get(r.user_id);
		return learner ? [{ learner, cardId: r.id, round: r.round, questionId: r.question_id }] : [];
	});
	lap(`review cards due (${reviewPool.length} true/false to answer)`);
	const certificateCodes = (
		await db().execute<{ code: string }>(sql`select code from certificates order by issued_at`)
	).map((r) => r.code);

	// Open attempts: one at course 5's basics quiz for everyone (three answers saved, so the page
	// is mid-attempt), and the pool the submit scenario uses up, one per request.
	const c5 = courses[4]!;
	await inParallel(learners, CONCURRENCY, async (l) => {
		const quiz = c5.modules[0]!.quiz!;
		const started = await startAttempt(l.id, c5, quiz);
		if (!started.ok) throw new Error('start refused');
		await saveAnswers(started.attempt, { tf1: true, num1: 3, word1: 'pot' });
	});
	const poolSlots: { learner: Learner; course: Course; moduleIndex: number }[] = [];
	// Every quiz a learner has no open attempt at: the basics quiz of courses 1–4 and the advanced
	// quiz of courses 2–5, up to 8,000 (warm-up and three windows at 2 workers use about that).
	for (const moduleIndex of [0, 1])
		for (const c of moduleIndex === 0 ? courses.slice(0, 4) : courses.slice(1, 5))
			for (const learner of learners) poolSlots.push({ learner, course: c, moduleIndex });
	const slots = poolSlots.slice(0, options.submitPool);
	// Interleave learners so consecutive requests come from different people.
	slots.sort((a, b) => learners.indexOf(a.learner) - learners.indexOf(b.learner));
	const submitPool = await inParallel(slots, CONCURRENCY, async (s) => {
		const m = s.course.modules[s.moduleIndex]!;
		const started = await startAttempt(s.learner.id, s.course, m.quiz!);
		if (!started.ok) throw new Error('start refused');
		return { learner: s.learner, courseId: s.course.id, moduleId: m.id };
	});
	lap(`open attempts (${learners.length} mid-attempt, ${submitPool.length} to submit)`);

	return {
		learners,
		coachCookie,
		bigTeamId,
		smallTeamId,
		certificateCodes,
		openQuizLearners: learners,
		reviewPool,
		submitPool,
		timings
	};
}

/**
 * The growth step: adds learners until there are `total`, each a copy of one service-seeded
 * learner's rows (account, session, enrolments, lesson progress, attempts, review cards, events),
 * in set-based INSERT … SELECT statements. Going through the services for 49,000 learners would take several
 * minutes; copying rows the services wrote keeps their shape and the indexes' size realistic.
 */
export async function growTo(total: number, seeded: Learner[]): Promise<void> {
	const [{ n }] = (await db().execute<{ n: number }>(
		sql`select count(*)::int as n from users where role = 'learner'`
	)) as unknown as [{ n: number }];
	const extra = total - n;
	if (extra <= 0) return;
	const templates = seeded.map((l) => l.id);
	await db().transaction(async (tx) => {
		await tx.execute(
			sql`create temporary table bench_clone (new_id uuid primary key, template_id uuid not null) on commit drop`
		);
		await tx.execute(sql`
			insert into bench_clone
			select gen_random_uuid(), (${`{${templates.join(',')}}`}::uuid[])[1 + (g % ${templates.length})]
			  from generate_series(1, ${extra}) g`);
		await tx.execute(sql`
			insert into users (id, email, name, password_hash, role, created_at)
			select c.new_id, 'clone-' || c.new_id || '@bench.test', u.name, u.password_hash, u.role, u.created_at
			  from bench_clone c join users u on u.id = c.template_id`);
		await tx.execute(sql`
			insert into sessions (id, user_id, created_at, expires_at)
			select md5(random()::text) || md5(random()::text), c.new_id, s.created_at, s.expires_at
			  from bench_clone c join sessions s on s.user_id = c.template_id`);
		await tx.execute(sql`
			insert into enrolments (user_id, course_id, course_version, enrolled_at, completed_at)
			select c.new_id, e.course_id, e.course_version, e.enrolled_at, e.completed_at
			  from bench_clone c join enrolments e on e.user_id = c.template_id`);
		await tx.execute(sql`
			insert into lesson_progress (user_id, course_id, lesson_id, lesson_version, completed_at)
			select c.new_id, p.course_id, p.lesson_id, p.lesson_version, p.completed_at
			  from bench_clone c join lesson_progress p on p.user_id = c.template_id`);
		await tx.execute(sql`
			insert into quiz_attempts (user_id, course_id, quiz_id, number, quiz_version, pass_percent, seed,
			       questions, answers, save_revision, started_at, deadline_at, submitted_at, score, max_score,
			       percent, passed, results)
			select c.new_id, a.course_id, a.quiz_id, a.number, a.quiz_version, a.pass_percent, a.seed,
			       a.questions, a.answers, a.save_revision, a.started_at, a.deadline_at, a.submitted_at,
			       a.score, a.max_score, a.percent, a.passed, a.results
			  from bench_clone c join quiz_attempts a on a.user_id = c.template_id`);
		// Review cards as grading made them: without them the app on the grown database would
		// spend its first minutes backfilling 49,000 learners' cards, under the measurements.
		await tx.execute(sql`
			insert into review_cards (user_id, course_id, item_key, lesson_id, question, content_version,
			       seed, schedule, due_at, round, active, retired_at, created_at)
			select c.new_id, r.course_id, r.item_key, r.lesson_id, r.question, r.content_version,
			       md5(random()::text), r.schedule, r.due_at, r.round, r.active, r.retired_at, r.created_at
			  from bench_clone c join review_cards r on r.user_id = c.template_id`);
		await tx.execute(sql`
			insert into domain_events (type, user_id, course_id, payload, occurred_at, handled_at)
			select e.type, c.new_id, e.course_id, e.payload, e.occurred_at, e.handled_at
			  from bench_clone c join domain_events e on e.user_id = c.template_id`);
	});
	// Ends the bulk load's own aftermath before anything is measured: the vacuum that the new rows
	// would trigger, the planner's statistics, and the checkpoint that writes them out. A database
	// that grew to this size over months would have had all three long ago.
	await db().execute(sql`vacuum analyze`);
	await db()
		.execute(sql`checkpoint`)
		.catch(() => undefined); // an external database may not let us; it only costs noise
}
