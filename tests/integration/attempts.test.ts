// The quiz attempt engine on PostgreSQL (answers stay on the server, only the server grades, attempts are atomic, bad input gets a clear answer): frozen questions,
// grading once and only on the server, parallel starts and submits, time limits on the server
// clock, ownership, malformed answers, and what the learner's browser is given.
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, freezeClock, resetClock } from '../../src/lib/server/clock';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { quizAttempts, users } from '../../src/lib/server/db/schema';
import {
	displaySeed,
	attemptsOf,
	findAttempt,
	GRACE_MS,
	isExpired,
	openAttempt,
	saveAnswers,
	startAttempt,
	startRefusal,
	submitAttempt,
	type Answers,
	type FrozenAttempt
} from '../../src/lib/server/quiz/attempts';
import { standing } from '../../src/lib/quiz/standing';
import { readFormAnswers } from '../../src/lib/server/quiz/form-answers';
import { questionView, reviewOf } from '../../src/lib/server/quiz/views';
import { choicesOf } from '../../src/lib/quiz/views';
import type { Question, Quiz, QuizSettings } from '../../src/lib/quiz/types';
import { freshDatabase } from '../support/fresh-database';

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
const MINUTE = 60_000;

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let sql: Awaited<ReturnType<typeof freshDatabase>>['sql'];
let course: Course;
/** single warm-first (a), multiple partial brew-steps (measure, time), truefalse fresh-water (true). */
let basics: Quiz;
/** numeric green-temperature (80 ± 5), text reuse-name, ordering brew-order. */
let advanced: Quiz;
/** matching tea-temperatures, numeric leaves-per-cup (1), single brew-minutes (a); 5 minutes. */
let exam: Quiz;

const BASICS_KEY: Answers = {
	'warm-first': 'a',
	'brew-steps': ['measure', 'time'],
	'fresh-water': true
};
const BASICS_WRONG: Answers = {
	'warm-first': 'b',
	'brew-steps': ['freeze'],
	'fresh-water': false
};
const EXAM_KEY: Answers = {
	'tea-temperatures': { black: 'black', green: 'green' },
	'leaves-per-cup': 1,
	'brew-minutes': 'a'
};

beforeAll(async () => {
	({ db, sql } = await freshDatabase());
	const loaded = loadCourse(fixtureDir);
	if (!loaded.course) throw new Error(`Fixture course: ${JSON.stringify(loaded.problems)}`);
	course = loaded.course;
	useCourses([course]);
	basics = course.modules[0]!.quiz!;
	advanced = course.modules[1]!.quiz!;
	exam = course.finalExam!;
	// Every write to a graded row is logged, so "graded once" can be counted, not guessed.
	await sql.unsafe(`
		create table grading_log (attempt_id uuid not null, submitted_at timestamptz, score real);
		create function log_grading() returns trigger language plpgsql as $$
		begin
			insert into grading_log values (new.id, new.submitted_at, new.score);
			return new;
		end $$;
		create trigger log_grading after update on quiz_attempts
			for each row when (new.submitted_at is not null) execute function log_grading();
	`);
});

afterEach(() => {
	resetClock();
});

let userCount = 0;
async function newLearner(): Promise<string> {
	userCount++;
	const [user] = await db
		.insert(users)
		.values({
			name: `Learner ${userCount}`,
			email: `attempts-${userCount}@example.com`,
			passwordHash: 'not-a-real-hash'
		})
		.returning();
	return user!.id;
}

const withSettings = (quiz: Quiz, settings: Partial<QuizSettings>): Quiz => ({
	...quiz,
	settings: { ...quiz.settings, ...settings }
});

/** A learner as findAttempt's access check sees them. */
const viewer = (id: string) => ({ id, role: 'learner' as const });

async function start(userId: string, quiz: Quiz): Promise<FrozenAttempt> {
	const result = await startAttempt(userId, course, quiz);
	if (!result.ok) throw new Error(`Start refused: ${JSON.stringify(result)}`);
	return result.attempt;
}

async function submit(userId: string, attempt: FrozenAttempt, quiz: Quiz, answers: Answers = {}) {
	const graded = (await submitAttempt(userId, attempt.id, course, quiz, answers))?.attempt;
	if (!graded) throw new Error('Attempt not found');
	return graded;
}

async function rowsOf(userId: string, quizId: string) {
	return (await attemptsOf(userId, course.id, quizId)).length;
}

/** Opens every pooled connection, so parallel calls really run side by side. */
async function warmPool() {
	await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.05)`));
}

async function gradingsOf(attemptId: string) {
	return sql<{ submitted_at: Date; score: number }[]>`
		select submitted_at, score from grading_log where attempt_id = ${attemptId}`;
}

const questionOf = (quiz: Quiz, id: string): Question => {
	const q = quiz.questions.find((x) => x.id === id);
	if (!q) throw new Error(`No question ${id}`);
	return q;
};

const optionIds = (q: Question) =>
	q.type === 'single' || q.type === 'multiple' ? q.options.map((o) => o.id) : [];

/** A pool of 12 single-choice questions with 6 options each, the last one pinned. */
function poolQuiz(settings: Partial<QuizSettings>): Quiz {
	const template = questionOf(basics, 'warm-first');
	if (template.type !== 'single') throw new Error('warm-first should be single choice');
	const questions: Question[] = Array.from({ length: 12 }, (_, i) => ({
		...template,
		id: `pool-${i}`,
		options: ['a', 'b', 'c', 'd', 'e', 'f'].map((o, k) => ({
			id: o,
			text: `Option ${o} of question ${i}`,
			correct: k === i % 5,
			feedback: k === i % 5 ? undefined : `Not ${o}.`,
			pinned: o === 'f'
		}))
	}));
	return withSettings({ ...basics, id: 'pool-quiz', questions, version: 'pool-v1' }, settings);
}

describe('attempt lifecycle', () => {
	it('freezes the questions and the quiz version at start; a second start returns the same attempt', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		expect(attempt).toMatchObject({
			userId: user,
			courseId: course.id,
			quizId: basics.id,
			number: 1,
			quizVersion: basics.version,
			submittedAt: null,
			score: null,
			answers: {}
		});
		expect(attempt.questions).toEqual(basics.questions);

		// Even against a newer version of the quiz, the open attempt is returned as it was.
		const edited: Quiz = { ...basics, version: 'edited', questions: basics.questions.slice(1) };
		const again = await startAttempt(user, course, edited);
		expect(again.ok && again.attempt.id).toBe(attempt.id);
		expect(again.ok && again.attempt.quizVersion).toBe(basics.version);
		expect(again.ok && again.attempt.questions).toEqual(attempt.questions);
		expect(await rowsOf(user, basics.id)).toBe(1);
		expect((await openAttempt(user, course.id, basics.id))?.id).toBe(attempt.id);
	});

	it('draws a subset, shuffles questions and options, and keeps that arrangement', async () => {
		const quiz = poolQuiz({ draw: 5, shuffleQuestions: true, shuffleOptions: true });
		const byId = new Map(quiz.questions.map((q) => [q.id, q]));
		const orders: string[][] = [];
		const optionOrders: string[][] = [];
		for (let n = 0; n < 6; n++) {
			const user = await newLearner();
			const attempt = await start(user, quiz);
			const ids = attempt.questions.map((q) => q.id);
			expect(ids).toHaveLength(5);
			expect(new Set(ids).size).toBe(5);
			for (const q of attempt.questions) {
				const original = byId.get(q.id)!;
				// Same options with the same key, in some order; the pinned one keeps its place.
				expect(optionIds(q).toSorted()).toEqual(optionIds(original).toSorted());
				expect(optionIds(q).at(-1)).toBe('f');
				if (q.type !== 'single' || original.type !== 'single') throw new Error('single');
				const sortById = (os: typeof q.options) => os.toSorted((a, b) => a.id.localeCompare(b.id));
				expect(sortById(q.options)).toEqual(sortById(original.options));
				optionOrders.push(optionIds(q));
			}
			orders.push(ids);

			// Reloading and starting again give the very same frozen arrangement.
			expect((await findAttempt(viewer(user), attempt.id))?.questions).toEqual(attempt.questions);
			const again = await start(user, quiz);
			expect(again.id).toBe(attempt.id);
			expect(again.questions).toEqual(attempt.questions);
		}
		const position = (id: string) => Number(id.slice('pool-'.length));
		const authorOrder = (ids: string[]) =>
			ids.every((id, i) => i === 0 || position(ids[i - 1]!) < position(id));
		expect(orders.some((ids) => !authorOrder(ids))).toBe(true);
		// Different learners get different draws.
		expect(new Set(orders.map((ids) => ids.toSorted().join())).size).toBeGreaterThan(1);
		expect(optionOrders.some((ids) => ids.join() !== 'a,b,c,d,e,f')).toBe(true);
	});

	it('keeps the author order when drawing without shuffling', async () => {
		const quiz = poolQuiz({ draw: 4 });
		const user = await newLearner();
		const attempt = await start(user, quiz);
		const positions = attempt.questions.map((q) => Number(q.id.slice('pool-'.length)));
		expect(positions).toHaveLength(4);
		expect(positions).toEqual(positions.toSorted((a, b) => a - b));
		for (const q of attempt.questions) expect(optionIds(q)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
	});

	it('applies saves in revision order: an older save arriving late does not overwrite a newer', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		expect(await saveAnswers(attempt, { 'warm-first': 'a' }, 2)).toEqual({ ok: true });
		// Revision 1 was sent first but lands second.
		expect(await saveAnswers(attempt, { 'warm-first': 'b' }, 1)).toEqual({
			ok: false,
			reason: 'stale',
			revision: 2
		});
		expect(await saveAnswers(attempt, { 'warm-first': 'c' }, 2)).toEqual({
			ok: false,
			reason: 'stale',
			revision: 2
		});
		expect((await findAttempt(viewer(user), attempt.id))?.answers).toEqual({ 'warm-first': 'a' });
		// A form posted without JavaScript carries no revision and simply comes next.
		expect(await saveAnswers(attempt, { 'fresh-water': true })).toEqual({ ok: true });
		const saved = await findAttempt(viewer(user), attempt.id);
		expect(saved?.saveRevision).toBe(3);
		expect(await saveAnswers(attempt, { 'warm-first': 'b' }, 4)).toEqual({ ok: true });
		expect((await findAttempt(viewer(user), attempt.id))?.answers).toEqual({
			'warm-first': 'b',
			'fresh-water': true
		});
	});

	it("refuses a save to someone else's attempt", async () => {
		const owner = await newLearner();
		const attempt = await start(owner, basics);
		const stranger = await newLearner();
		expect(await saveAnswers({ id: attempt.id, userId: stranger }, { 'warm-first': 'b' })).toEqual({
			ok: false,
			reason: 'closed'
		});
		expect((await findAttempt(viewer(owner), attempt.id))?.answers).toEqual({});
	});

	it('merges saved answers, shows them on reload, and grades them on submit', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		expect(await saveAnswers(attempt, { 'warm-first': 'b' })).toEqual({ ok: true });
		expect(await saveAnswers(attempt, { 'fresh-water': true })).toEqual({ ok: true });
		expect(await saveAnswers(attempt, { 'warm-first': 'a' })).toEqual({ ok: true });
		const reloaded = await findAttempt(viewer(user), attempt.id);
		expect(reloaded?.answers).toEqual({ 'warm-first': 'a', 'fresh-water': true });
		expect(reloaded?.submittedAt).toBeNull();

		// The final answers are merged over the saved ones.
		const graded = await submit(user, attempt, basics, { 'brew-steps': ['measure'] });
		expect(graded.answers).toEqual({
			'warm-first': 'a',
			'fresh-water': true,
			'brew-steps': ['measure']
		});
		expect(graded.results).toEqual({
			'warm-first': { score: 1, points: 1, correct: true },
			'brew-steps': { score: 0.5, points: 1, correct: false },
			'fresh-water': { score: 1, points: 1, correct: true }
		});
		expect(graded).toMatchObject({ score: 2.5, maxScore: 3, percent: 83.33, passed: true });
		expect(graded.submittedAt).toBeInstanceOf(Date);
		const results = Object.values(graded.results!);
		expect(results.reduce((s, r) => s + r.score, 0)).toBe(graded.score);
		expect(results.reduce((s, r) => s + r.points, 0)).toBe(graded.maxScore);
		expect(await openAttempt(user, course.id, basics.id)).toBeUndefined();
		// What submit returns is the row as stored, 83.33% included (a real column).
		expect((await attemptsOf(user, course.id, basics.id)).at(-1)).toEqual(graded);
	});

	it('gives 100% for the full key and 0% for wrong answers', async () => {
		const user = await newLearner();
		const right = await submit(user, await start(user, basics), basics, BASICS_KEY);
		expect(right).toMatchObject({ score: 3, maxScore: 3, percent: 100, passed: true });
		expect(Object.values(right.results!).every((r) => r.correct)).toBe(true);

		const wrong = await submit(user, await start(user, basics), basics, BASICS_WRONG);
		expect(wrong).toMatchObject({ number: 2, score: 0, maxScore: 3, percent: 0, passed: false });
		expect(Object.values(wrong.results!).some((r) => r.correct)).toBe(false);

		const unanswered = await submit(user, await start(user, basics), basics);
		expect(unanswered).toMatchObject({ number: 3, score: 0, percent: 0, passed: false });

		const other = await newLearner();
		const advancedKey: Answers = {
			'green-temperature': 83,
			'reuse-name': '  Infusion ',
			'brew-order': ['boil', 'pour', 'strain']
		};
		const all = await submit(other, await start(other, advanced), advanced, advancedKey);
		expect(all).toMatchObject({ score: 3, maxScore: 3, percent: 100, passed: true });
		const exam100 = await submit(other, await start(other, exam), exam, EXAM_KEY);
		expect(exam100).toMatchObject({ score: 3, maxScore: 3, percent: 100, passed: true });
	});
});

describe('submitting once', () => {
	it('returns the same grade when submitted twice, and a finished attempt cannot change', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		const first = await submit(user, attempt, basics, BASICS_WRONG);
		expect(first.percent).toBe(0);

		advanceClock(1_000);
		const second = await submit(user, attempt, basics, BASICS_KEY);
		expect(second.submittedAt?.getTime()).toBe(first.submittedAt?.getTime());
		expect(second).toMatchObject({ score: 0, percent: 0, passed: false });
		expect(second.answers).toEqual(BASICS_WRONG);

		expect(await saveAnswers(attempt, BASICS_KEY)).toEqual({ ok: false, reason: 'closed' });
		const stored = await findAttempt(viewer(user), attempt.id);
		expect(stored?.answers).toEqual(BASICS_WRONG);
		expect(stored).toMatchObject({ score: 0, percent: 0, passed: false });
		expect(await gradingsOf(attempt.id)).toHaveLength(1);
	});

	it('grades once under 20 parallel submits with different answers', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		await warmPool();
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				submitAttempt(user, attempt.id, course, basics, i % 2 ? BASICS_KEY : BASICS_WRONG).then(
					(r) => r?.attempt
				)
			)
		);
		const first = results[0]!;
		expect([0, 100]).toContain(first.percent);
		for (const r of results) {
			expect(r?.id).toBe(attempt.id);
			expect(r?.submittedAt?.getTime()).toBe(first.submittedAt!.getTime());
			expect(r?.score).toBe(first.score);
			expect(r?.answers).toEqual(first.answers);
		}
		const log = await gradingsOf(attempt.id);
		expect(log).toHaveLength(1);
		expect(log[0]!.score).toBe(first.score);
		const stored = await findAttempt(viewer(user), attempt.id);
		expect(stored?.submittedAt?.getTime()).toBe(first.submittedAt!.getTime());
		expect(stored?.score).toBe(first.score);
		expect(await rowsOf(user, basics.id)).toBe(1);
	});
});

describe('submitting the attempt as the caller read it (the quiz page passes it along)', () => {
	it('grades a save that arrived after the read, not the stale copy', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		const read = (await openAttempt(user, course.id, basics.id))!;
		// Another tab saves the full key after this request read the attempt.
		expect(await saveAnswers(attempt, BASICS_KEY)).toEqual({ ok: true });
		const graded = (await submitAttempt(user, attempt.id, course, basics, {}, read))?.attempt;
		expect(graded?.answers).toEqual(BASICS_KEY);
		expect(graded?.percent).toBe(100);
		expect(await gradingsOf(attempt.id)).toHaveLength(1);
	});

	it('grades once under 20 parallel submits that all read the same open attempt', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		const read = (await openAttempt(user, course.id, basics.id))!;
		await warmPool();
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				submitAttempt(user, attempt.id, course, basics, i % 2 ? BASICS_KEY : BASICS_WRONG, read)
			)
		);
		const first = results[0]!.attempt;
		for (const r of results) {
			expect(r?.attempt.submittedAt?.getTime()).toBe(first.submittedAt!.getTime());
			expect(r?.attempt.answers).toEqual(first.answers);
		}
		// One grading, one "graded" event, whichever submit won.
		expect(await gradingsOf(attempt.id)).toHaveLength(1);
		expect(results.filter((r) => r!.events.length > 0)).toHaveLength(1);
	});

	it("ignores a copy of someone else's attempt", async () => {
		const owner = await newLearner();
		const other = await newLearner();
		const attempt = await start(owner, basics);
		expect(await submitAttempt(other, attempt.id, course, basics, BASICS_KEY, attempt)).toBe(
			undefined
		);
		expect((await findAttempt(viewer(owner), attempt.id))?.submittedAt).toBeNull();
	});
});

describe('starting attempts', () => {
	it('creates one attempt under 20 parallel starts when one is allowed, then refuses', async () => {
		const quiz = withSettings(basics, { maxAttempts: 1 });
		const user = await newLearner();
		await warmPool();
		const results = await Promise.all(
			Array.from({ length: 20 }, () => startAttempt(user, course, quiz))
		);
		const ids = new Set(results.map((r) => (r.ok ? r.attempt.id : r.reason)));
		expect(ids.size).toBe(1);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(await rowsOf(user, quiz.id)).toBe(1);

		const [attempt] = await attemptsOf(user, course.id, quiz.id);
		await submit(user, attempt!, quiz, BASICS_KEY);
		expect(await startAttempt(user, course, quiz)).toEqual({
			ok: false,
			reason: 'no-attempts-left'
		});
		const again = await Promise.all(
			Array.from({ length: 20 }, () => startAttempt(user, course, quiz))
		);
		expect(again.every((r) => !r.ok && r.reason === 'no-attempts-left')).toBe(true);
		expect(await rowsOf(user, quiz.id)).toBe(1);
	});

	it('creates exactly the second of two attempts under 20 parallel starts', async () => {
		const quiz = withSettings(basics, { maxAttempts: 2 });
		const user = await newLearner();
		await submit(user, await start(user, quiz), quiz, BASICS_WRONG);
		await warmPool();
		const results = await Promise.all(
			Array.from({ length: 20 }, () => startAttempt(user, course, quiz))
		);
		expect(results.every((r) => r.ok)).toBe(true);
		const ids = new Set(results.map((r) => (r.ok ? r.attempt.id : '')));
		expect(ids.size).toBe(1);
		expect(results[0]!.ok && results[0]!.attempt.number).toBe(2);
		expect(await rowsOf(user, quiz.id)).toBe(2);

		const second = results[0]!.ok ? results[0]!.attempt : undefined;
		await submit(user, second!, quiz, BASICS_WRONG);
		expect(await startAttempt(user, course, quiz)).toEqual({
			ok: false,
			reason: 'no-attempts-left'
		});
		expect(startRefusal(quiz, await attemptsOf(user, course.id, quiz.id), new Date())).toEqual({
			reason: 'no-attempts-left'
		});
		const [{ total }] = (await db
			.select({ total: count() })
			.from(quizAttempts)
			.where(eq(quizAttempts.userId, user))) as [{ total: number }];
		expect(total).toBe(2);
	});

	it('makes the learner wait between attempts, by the server clock', async () => {
		const quiz = withSettings(basics, { waitMinutes: 10 });
		const user = await newLearner();
		const first = await submit(user, await start(user, quiz), quiz, BASICS_WRONG);
		const until = new Date(Math.ceil((first.submittedAt!.getTime() + 10 * MINUTE) / 1000) * 1000);

		expect(await startAttempt(user, course, quiz)).toEqual({ ok: false, reason: 'wait', until });
		advanceClock(9 * MINUTE);
		expect(await startAttempt(user, course, quiz)).toEqual({ ok: false, reason: 'wait', until });
		expect(await rowsOf(user, quiz.id)).toBe(1);

		advanceClock(MINUTE + 1_000);
		const second = await start(user, quiz);
		expect(second.number).toBe(2);
		expect(second.startedAt.getTime()).toBeGreaterThan(until.getTime());
	});

	it('allows the retry at the very second the page announces, not a moment later', async () => {
		const quiz = withSettings(basics, { waitMinutes: 1 });
		const user = await newLearner();
		// Submitted 400 ms into a second: the wait ends 60.4 s later, inside the second it names.
		freezeClock(new Date('2030-01-01T10:00:00.400Z'));
		await submit(user, await start(user, quiz), quiz, BASICS_WRONG);
		const announced = new Date('2030-01-01T10:01:01.000Z');
		expect(await startAttempt(user, course, quiz)).toEqual({
			ok: false,
			reason: 'wait',
			until: announced
		});
		freezeClock(new Date(announced.getTime() - 1));
		expect((await startAttempt(user, course, quiz)).ok).toBe(false);
		freezeClock(announced);
		const second = await start(user, quiz);
		expect(second.number).toBe(2);
	});
});

describe('time limit', () => {
	it('records a deadline of the time limit after the start', async () => {
		const user = await newLearner();
		const attempt = await start(user, exam);
		expect(attempt.deadlineAt!.getTime() - attempt.startedAt.getTime()).toBe(5 * MINUTE);
		const untimed = await start(user, basics);
		expect(untimed.deadlineAt).toBeNull();
	});

	it('keeps answers saved in time, refuses later ones, and grades the attempt as it stood', async () => {
		const user = await newLearner();
		const attempt = await start(user, exam);
		expect(await saveAnswers(attempt, { 'leaves-per-cup': 1 })).toEqual({ ok: true });

		advanceClock(5 * MINUTE + GRACE_MS + 1_000);
		expect(isExpired(attempt)).toBe(true);
		expect(await saveAnswers(attempt, { 'brew-minutes': 'a' })).toEqual({
			ok: false,
			reason: 'expired'
		});
		expect((await findAttempt(viewer(user), attempt.id))?.answers).toEqual({ 'leaves-per-cup': 1 });

		const graded = await submit(user, attempt, exam, EXAM_KEY);
		expect(graded.answers).toEqual({ 'leaves-per-cup': 1 });
		expect(graded).toMatchObject({ score: 1, maxScore: 3, percent: 33.33, passed: false });
		expect(graded.results?.['brew-minutes']?.correct).toBe(false);
	});

	it('still counts final answers within the grace period', async () => {
		const user = await newLearner();
		const attempt = await start(user, exam);
		advanceClock(5 * MINUTE + 5_000);
		expect(isExpired(attempt)).toBe(false);
		expect(await saveAnswers(attempt, { 'leaves-per-cup': 1 })).toEqual({ ok: true });
		const graded = await submit(user, attempt, exam, {
			'brew-minutes': 'a',
			'tea-temperatures': { black: 'black', green: 'green' }
		});
		expect(graded).toMatchObject({ score: 3, percent: 100, passed: true });
	});

	it('gives a learner with a time multiplier of 1.5 half as long again', async () => {
		const user = await newLearner();
		await db.update(users).set({ timeMultiplier: 1.5 }).where(eq(users.id, user));
		const attempt = await start(user, exam);
		expect(attempt.deadlineAt!.getTime() - attempt.startedAt.getTime()).toBe(7.5 * MINUTE);

		// Past the ordinary limit and its grace, the learner is still in time.
		advanceClock(5 * MINUTE + GRACE_MS + 1_000);
		expect(await saveAnswers(attempt, { 'leaves-per-cup': 1 })).toEqual({ ok: true });
		advanceClock(2.5 * MINUTE);
		expect(await saveAnswers(attempt, { 'brew-minutes': 'a' })).toEqual({
			ok: false,
			reason: 'expired'
		});
		const graded = await submit(user, attempt, exam, EXAM_KEY);
		expect(graded).toMatchObject({ score: 1, percent: 33.33 });
	});
});

describe('content edited after the start', () => {
	it('grades against the frozen questions, not the edited quiz', async () => {
		const user = await newLearner();
		const attempt = await start(user, basics);
		const edited: Quiz = {
			...basics,
			version: 'edited',
			questions: basics.questions.map((q): Question => {
				if (q.type === 'single')
					return {
						...q,
						points: 5,
						options: q.options.map((o) => ({ ...o, correct: !o.correct }))
					};
				if (q.type === 'truefalse') return { ...q, answer: !q.answer };
				return q;
			})
		};
		const graded = await submit(user, attempt, edited, BASICS_KEY);
		expect(graded).toMatchObject({
			quizVersion: basics.version,
			score: 3,
			maxScore: 3,
			percent: 100,
			passed: true
		});
		expect(graded.results?.['warm-first']).toEqual({ score: 1, points: 1, correct: true });
		expect(graded.questions).toEqual(basics.questions);
	});

	it('keeps the pass mark in force when the attempt started', async () => {
		const user = await newLearner();
		// basics passes at 50%; 1 of 3 right is 33%, 2 of 3 is 67%.
		const attempt = await start(user, basics);
		expect(attempt.passPercent).toBe(50);
		const stricter = withSettings(basics, { passPercent: 100 });
		const graded = await submit(user, attempt, stricter, {
			...BASICS_KEY,
			'fresh-water': !BASICS_KEY['fresh-water']
		});
		expect(graded.percent).toBeLessThan(100);
		expect(graded.percent).toBeGreaterThanOrEqual(50);
		expect(graded.passed).toBe(true);
	});
});

describe('ownership', () => {
	it('hides an attempt from anyone but its owner and refuses their submit', async () => {
		const owner = await newLearner();
		const stranger = await newLearner();
		const attempt = await start(owner, basics);
		await saveAnswers(attempt, { 'warm-first': 'b' });

		expect(await findAttempt(viewer(stranger), attempt.id)).toBeUndefined();
		expect(await submitAttempt(stranger, attempt.id, course, basics, BASICS_KEY)).toBeUndefined();
		const still = await findAttempt(viewer(owner), attempt.id);
		expect(still?.submittedAt).toBeNull();
		expect(still?.answers).toEqual({ 'warm-first': 'b' });
		expect(await gradingsOf(attempt.id)).toHaveLength(0);
	});

	it('answers garbage attempt ids with undefined, never a throw', async () => {
		const user = await newLearner();
		await start(user, basics);
		const garbage = [
			'x',
			'../',
			'',
			'not-a-uuid',
			"' or 1=1 --",
			'-'.repeat(36),
			'0000000g-0000-0000-0000-000000000000',
			'00000000-0000-0000-0000-000000000000',
			crypto.randomUUID(),
			'a'.repeat(10_000)
		];
		for (const id of garbage) {
			expect(await findAttempt(viewer(user), id), id).toBeUndefined();
			expect(await submitAttempt(user, id, course, basics, BASICS_KEY), id).toBeUndefined();
		}
		expect((await openAttempt(user, course.id, basics.id))?.submittedAt).toBeNull();
	});
});

describe('malformed answers', () => {
	let attempt: FrozenAttempt;
	beforeAll(async () => {
		attempt = await start(await newLearner(), basics);
	});

	/** A form as the page posts it: every question shown, values in the page's own ids. */
	const form = (fields: [string, string][], shown = attempt.questions.map((q) => q.id)) => {
		const data = new FormData();
		for (const id of shown) data.append('shown', id);
		for (const [k, v] of fields) data.append(k, v);
		return data;
	};
	/** The page's value for an option, found by its text. */
	const value = (questionId: string, text: string) => {
		const q = attempt.questions.find((x) => x.id === questionId)!;
		return choicesOf(questionView(q, displaySeed(attempt))).find((c) => c.text === text)!.id;
	};

	const cases: [string, () => [string, string][], string][] = [
		['an unknown option id', () => [['q.warm-first', 'z']], 'warm-first'],
		['the quiz file id of the right option', () => [['q.warm-first', 'a']], 'warm-first'],
		[
			'an option of another question',
			() => [['q.warm-first', value('brew-steps', 'Measure the leaves')]],
			'warm-first'
		],
		[
			'an option of another question (multiple)',
			() => [['q.brew-steps', value('warm-first', 'Warm the pot')]],
			'brew-steps'
		],
		[
			'the same option twice',
			() => [
				['q.brew-steps', value('brew-steps', 'Time the brew')],
				['q.brew-steps', value('brew-steps', 'Time the brew')]
			],
			'brew-steps'
		],
		[
			'two values for single choice',
			() => [
				['q.warm-first', value('warm-first', 'Warm the pot')],
				['q.warm-first', value('warm-first', 'Chill the pot')]
			],
			'warm-first'
		],
		[
			'10,000 values',
			() => Array.from({ length: 10_000 }, (): [string, string] => ['q.brew-steps', 'x']),
			'brew-steps'
		],
		['a word for true/false', () => [['q.fresh-water', 'yes']], 'fresh-water']
	];
	it.each(cases)('refuses %s with a message for that question', (_, fields, questionId) => {
		const { answers, errors } = readFormAnswers(form(fields()), attempt);
		expect(Object.keys(errors)).toEqual([questionId]);
		expect(errors[questionId]).toMatch(/\w+/);
		expect(Object.hasOwn(answers, questionId)).toBe(false);
	});

	it('reports every bad question at once, and a question not in the attempt', () => {
		const { errors } = readFormAnswers(
			form(
				[
					['q.warm-first', value('warm-first', 'Warm the pot')],
					['q.brew-steps', 'a'],
					['q.fresh-water', 'yes']
				],
				['warm-first', 'brew-steps', 'fresh-water', 'no-such-question']
			),
			attempt
		);
		expect(errors).toEqual({
			'brew-steps': expect.any(String) as string,
			'fresh-water': expect.any(String) as string,
			form: 'The form contains a question that is not part of your attempt.'
		});
	});

	it('refuses a file where an answer belongs', () => {
		const data = form([]);
		data.append('q.warm-first', new Blob(['a']), 'a.txt');
		expect(readFormAnswers(data, attempt).errors.form).toBe('Answers must be sent as text.');
	});

	it('reads nothing from score, passed or correct fields, and grading ignores them', async () => {
		const { answers, errors } = readFormAnswers(
			form([
				['q.warm-first', value('warm-first', 'Chill the pot')],
				['score', '3'],
				['passed', 'true'],
				['correct', 'true'],
				['q.warm-first.correct', 'true']
			]),
			attempt
		);
		expect(errors).toEqual({});
		expect(Object.keys(answers).sort()).toEqual(['brew-steps', 'fresh-water', 'warm-first']);
		const user = await newLearner();
		const other = await start(user, basics);
		const graded = await submit(user, other, basics, answers);
		expect(graded).toMatchObject({ score: 0, maxScore: 3, percent: 0, passed: false });
	});

	it('accepts well-formed answers, with empty values as unanswered, in authored ids', () => {
		expect(
			readFormAnswers(
				form([
					['q.warm-first', value('warm-first', 'Warm the pot')],
					['q.brew-steps', value('brew-steps', 'Measure the leaves')],
					['q.fresh-water', '']
				]),
				attempt
			)
		).toEqual({
			answers: { 'warm-first': 'a', 'brew-steps': ['measure'], 'fresh-water': null },
			errors: {}
		});
	});
});

describe("the learner's view of an open attempt", () => {
	it('orders answers by a secret seed, not by anything the page can see', async () => {
		const orderings = [];
		for (let i = 0; i < 10; i++) {
			const user = await newLearner();
			const attempt = await start(user, advanced);
			expect(attempt.seed).toMatch(/^[0-9a-f]{32}$/);
			const q = attempt.questions.find((x) => x.type === 'ordering')!;
			const shown = choicesOf(questionView(q, displaySeed(attempt))).map((c) => c.id);
			// What a page that knows the attempt and question ids could compute.
			const guessed = choicesOf(questionView(q, attempt.id)).map((c) => c.id);
			orderings.push(shown.join() === guessed.join());
		}
		expect(orderings.some((same) => !same)).toBe(true);
	});

	const keyTexts = (q: Question): string[] => {
		const texts = [q.explanation];
		if ('feedback' in q) texts.push(q.feedback);
		if (q.type === 'single' || q.type === 'multiple')
			for (const o of q.options) if (o.feedback) texts.push(o.feedback);
		if (q.type === 'text') texts.push(...q.accept);
		return texts;
	};

	it('never contains the key, explanations or feedback, for every question type', async () => {
		const user = await newLearner();
		const types = new Set<string>();
		for (const quiz of [basics, advanced, exam]) {
			const attempt = await start(user, quiz);
			expect(attempt.questions).toHaveLength(quiz.questions.length);
			for (const q of attempt.questions) {
				types.add(q.type);
				const json = JSON.stringify(questionView(q, displaySeed(attempt)));
				expect(json).not.toMatch(/"correct"/);
				expect(json).not.toMatch(/"answer"/);
				expect(json).not.toMatch(/"accept"/);
				expect(json).not.toMatch(/"tolerance"/);
				expect(json).not.toMatch(/"explanation"/);
				expect(json).not.toMatch(/"feedback"/);
				expect(json).not.toMatch(/"items"|"pairs"|"options"/);
				for (const text of keyTexts(q)) expect(json, `${q.id}: ${text}`).not.toContain(text);
			}
		}
		expect([...types].toSorted()).toEqual(
			['matching', 'multiple', 'numeric', 'ordering', 'single', 'text', 'truefalse'].toSorted()
		);
	});

	it('shows ordering steps out of their correct order, the same way on every reload', async () => {
		const key = questionOf(advanced, 'brew-order');
		if (key.type !== 'ordering') throw new Error('brew-order should be an ordering question');
		// Steps carry per-attempt ids on the page, so compare them by their text.
		const keyOrder = key.items.map((i) => i.text);
		for (let n = 0; n < 8; n++) {
			const user = await newLearner();
			const attempt = await start(user, advanced);
			const q = attempt.questions.find((x) => x.id === 'brew-order')!;
			const view = questionView(q, displaySeed(attempt));
			const shown = choicesOf(view).map((c) => c.text);
			expect(shown.toSorted()).toEqual(keyOrder.toSorted());
			expect(shown).not.toEqual(keyOrder);
			expect(questionView(q, displaySeed(attempt))).toEqual(view);
		}
	});
});

describe('review after grading', () => {
	let graded: FrozenAttempt;
	beforeAll(async () => {
		const user = await newLearner();
		graded = await submit(user, await start(user, basics), basics, {
			...BASICS_WRONG,
			'fresh-water': true
		});
	});
	const review = (settings: Partial<QuizSettings>, answersAllowed: boolean) =>
		reviewOf(graded, withSettings(basics, settings).settings, answersAllowed, () => null);
	const explanations = () => basics.questions.map((q) => q.explanation);

	it("shows only the score with review 'score'", () => {
		const items = review({ review: 'score' }, true);
		expect(items.map((i) => i.question.id)).toEqual(basics.questions.map((q) => q.id));
		const json = JSON.stringify(items);
		expect(json).not.toMatch(/"correct"|"correctAnswer"|"explanation"|"feedback"|"score"/);
		for (const text of explanations()) expect(json).not.toContain(text);
		// Not even points per question: they would tell which answers were right.
		expect(items.map((i) => i.score)).toEqual([undefined, undefined, undefined]);
	});

	it("shows which answers were right with review 'which', but not the right answers", () => {
		const items = review({ review: 'which' }, true);
		expect(items.map((i) => i.correct)).toEqual([false, false, true]);
		expect(items.map((i) => i.score)).toEqual([0, 0, 1]);
		expect(items[0]!.feedback).toEqual(['A cold pot cools the water too quickly.']);
		const json = JSON.stringify(items);
		expect(json).not.toMatch(/"correctAnswer"|"explanation"/);
		for (const text of explanations()) expect(json).not.toContain(text);
	});

	it("holds back answers, explanations and feedback while they are not allowed, even with 'explanations'", () => {
		const items = review({ review: 'explanations' }, false);
		expect(items.map((i) => i.correct)).toEqual([false, false, true]);
		const json = JSON.stringify(items);
		expect(json).not.toMatch(/"correctAnswer"|"explanation"/);
		for (const text of explanations()) expect(json).not.toContain(text);
		// Authors' feedback on a wrong option usually names the right one.
		const feedback = basics.questions.flatMap((q) => [
			...('feedback' in q ? [q.feedback] : []),
			...(q.type === 'single' || q.type === 'multiple'
				? q.options.flatMap((o) => (o.feedback ? [o.feedback] : []))
				: [])
		]);
		expect(feedback.length).toBeGreaterThan(0);
		for (const text of feedback) expect(json).not.toContain(text);
		// Once allowed, the same feedback is shown.
		expect(review({ review: 'explanations' }, true)[0]!.feedback).toEqual([
			'A cold pot cools the water too quickly.'
		]);
	});

	it("shows the correct answer with 'answers' and explanations too with 'explanations'", () => {
		const answers = review({ review: 'answers' }, true);
		expect(answers[0]!.correctAnswer).toBe('Warm the pot');
		expect(answers[1]!.correctAnswer).toBe('Measure the leaves; Time the brew');
		expect(answers[2]!.correctAnswer).toBe('True');
		expect(answers.every((i) => i.explanation === undefined)).toBe(true);

		const full = review({ review: 'explanations' }, true);
		expect(full.map((i) => i.correctAnswer)).toEqual(answers.map((i) => i.correctAnswer));
		expect(full.map((i) => i.explanation)).toEqual(explanations());
	});
});

describe('standing across attempts', () => {
	it('holds answers back until the learner has passed or used every attempt', async () => {
		const quiz = withSettings(basics, { maxAttempts: 2, answersOnlyWhenDone: true });
		const failing = await newLearner();
		const first = await start(failing, quiz);
		expect(standing(quiz, await attemptsOf(failing, course.id, quiz.id))).toMatchObject({
			grade: null,
			passed: false,
			outOfAttempts: false,
			answersAllowed: false
		});
		await submit(failing, first, quiz, BASICS_WRONG);
		const open = await start(failing, quiz);
		expect(standing(quiz, await attemptsOf(failing, course.id, quiz.id))).toMatchObject({
			grade: 0,
			passed: false,
			outOfAttempts: false,
			answersAllowed: false
		});
		await submit(failing, open, quiz, BASICS_WRONG);
		expect(standing(quiz, await attemptsOf(failing, course.id, quiz.id))).toMatchObject({
			grade: 0,
			passed: false,
			outOfAttempts: true,
			answersAllowed: true
		});

		const passing = await newLearner();
		await submit(passing, await start(passing, quiz), quiz, BASICS_KEY);
		expect(standing(quiz, await attemptsOf(passing, course.id, quiz.id))).toMatchObject({
			grade: 100,
			passed: true,
			outOfAttempts: false,
			answersAllowed: true
		});

		// Without the setting, answers may be shown after any graded attempt.
		const relaxed = withSettings(quiz, { answersOnlyWhenDone: false });
		const attempts = (await attemptsOf(failing, course.id, quiz.id)).slice(0, 1);
		expect(standing(relaxed, attempts).answersAllowed).toBe(true);
		expect(standing(quiz, attempts).answersAllowed).toBe(false);
	});

	it('records the highest, last, first or average grade', async () => {
		const user = await newLearner();
		// 33.33%, then 100%, then 0%, submitted a minute apart.
		for (const answers of [{ 'fresh-water': true }, BASICS_KEY, BASICS_WRONG]) {
			await submit(user, await start(user, basics), basics, answers);
			advanceClock(MINUTE);
		}
		// An open attempt counts for nothing.
		await start(user, basics);
		const attempts = await attemptsOf(user, course.id, basics.id);
		expect(attempts.map((a) => a.percent)).toEqual([33.33, 100, 0, null]);
		const rule = (grade: QuizSettings['grade']) =>
			standing(withSettings(basics, { grade }), attempts);
		expect(rule('highest')).toMatchObject({ grade: 100, passed: true });
		expect(rule('last')).toMatchObject({ grade: 0, passed: false });
		expect(rule('first')).toMatchObject({ grade: 33.33, passed: false });
		expect(rule('average')).toMatchObject({ grade: 44.44, passed: false });
	});
});
