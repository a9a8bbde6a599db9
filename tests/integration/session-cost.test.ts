// Every request validates its session, so that must stay one indexed query, writing only when
// the sliding renewal is due; autosave, the busiest action, adds two statements.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import {
	createSession,
	generateSessionToken,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { UNREAD_CAP } from '../../src/lib/server/notifications/unread';
import { db } from '../../src/lib/server/db';
import { notifications } from '../../src/lib/server/db/schema';
import { loadCourse } from '../../src/lib/server/content/load';
import { enrol } from '../../src/lib/server/learning/progress';
import { openAttempt, saveAnswers, startAttempt } from '../../src/lib/server/quiz/attempts';
import { countStatements } from '../support/counted-database';
import { freshDatabase } from '../support/fresh-database';

const DAY = 86_400_000;
let countSent: ReturnType<typeof countStatements>;
let userId: string;

beforeAll(async () => {
	const { sql } = await freshDatabase();
	const created = await createUser({
		name: 'Cost',
		email: 'cost@example.com',
		password: 'plum-tractor-71'
	});
	if (!created.ok) throw new Error(created.message);
	userId = created.value.id;
	countSent = countStatements(sql);
});

const count = (fn: () => Promise<unknown>) => countSent(fn);

describe('session validation cost', () => {
	it('is one query joining session and user when no renewal is due', async () => {
		const token = generateSessionToken();
		await createSession(token, userId);
		const sent = await count(() => validateSessionToken(token));
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatch(/from "sessions" inner join "users"/);
		expect(sent[0]).toMatch(/where "sessions"\."id" = \$\d+/);
	});

	it('adds one write when the sliding renewal is due', async () => {
		const token = generateSessionToken();
		const start = new Date();
		await createSession(token, userId, start);
		const sent = await count(() =>
			validateSessionToken(token, new Date(start.getTime() + 20 * DAY))
		);
		expect(sent).toHaveLength(2);
		expect(sent[1]).toMatch(/^update "sessions"/);
	});

	it('sends nothing to the database for a token of the wrong shape', async () => {
		expect(await count(() => validateSessionToken('not-a-token'))).toHaveLength(0);
	});
});

describe('autosave cost', () => {
	it('is the open attempt and one UPDATE that also checks ownership, state and the deadline', async () => {
		const loaded = loadCourse(
			path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course')
		);
		const course = loaded.course!;
		const quiz = course.modules[0]!.quiz!;
		await enrol(userId, course);
		const started = await startAttempt(userId, course, quiz);
		if (!started.ok) throw new Error('not started');
		// What the save action sends after the hook's session check (see http/quiz-page.ts).
		const sent = await count(async () => {
			const open = await openAttempt(userId, course.id, quiz.id);
			expect(await saveAnswers(open!, { 'warm-first': 'b' }, 1)).toEqual({ ok: true });
		});
		expect(sent).toHaveLength(2);
		expect(sent[0]).toMatch(/^select .* from "quiz_attempts"/);
		expect(sent[1]).toMatch(/^update "quiz_attempts"/);
		expect(sent[1]).toMatch(/"deadline_at" >= \$/);
		expect(sent[1]).toMatch(/"save_revision" < \$/);
	});
});

describe('header unread count', () => {
	it('comes with the session, counting only unread notices and stopping at the cap', async () => {
		const token = generateSessionToken();
		await createSession(token, userId);
		const notice = (readAt: Date | null) => ({
			userId,
			kind: 'assignment.new' as const,
			message: 'A course for you',
			readAt
		});
		await db()
			.insert(notifications)
			.values([notice(null), notice(null), notice(new Date())]);
		expect((await validateSessionToken(token))?.unread).toBe(2);

		await db()
			.insert(notifications)
			.values(Array.from({ length: UNREAD_CAP + 20 }, () => notice(null)));
		const sent = await count(async () =>
			expect((await validateSessionToken(token))?.unread).toBe(UNREAD_CAP)
		);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatch(/"notifications"\."read_at" is null\s+limit \$\d/);
	});
});
