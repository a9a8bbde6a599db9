// Certificates on PostgreSQL: issued in the transaction that completes the course, exactly once
// under parallel completing submits, re-issued under the same code when the name changes,
// flagged (not removed) when a regrade takes the basis away, and revoked with a history.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/lib/server/content/types';
import { certificates } from '../../src/lib/server/db/schema';
import { isVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	certificateByCode,
	certificateHistoryOf,
	certificatesOf,
	certificatesWithChangedBasis,
	ownCertificate,
	reinstateCertificate,
	revokeCertificate,
	searchCertificates,
	setCertificateName
} from '../../src/lib/server/certificates/records';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import {
	startAttempt,
	submitAttempt,
	type FrozenAttempt
} from '../../src/lib/server/quiz/attempts';
import { applyRegrade } from '../../src/lib/server/quiz/regrade';
import type { Quiz } from '../../src/lib/quiz/types';
import { keyAnswers } from '../support/answer-key';
import { enrolledLearner, passQuiz, useFixtureCourse } from '../support/builders';
import { freshDatabase } from '../support/fresh-database';

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let course: Course;

beforeAll(async () => {
	({ db } = await freshDatabase());
	course = useFixtureCourse();
	expect(course.certificate).toBe(true);
});

/** An enrolled learner's id. */
const learner = async (name?: string) => (await enrolledLearner(course, name)).id;
const pass = (userId: string, quiz: Quiz) => passQuiz(userId, course, quiz);

/** Everything but the final exam, which is left open and returned. */
async function readyForExam(userId: string): Promise<FrozenAttempt> {
	for (const l of course.lessons) await markLessonDone(userId, course, l);
	await pass(userId, course.modules[0]!.quiz!);
	await pass(userId, course.modules[1]!.quiz!);
	const started = await startAttempt(userId, course, course.finalExam!);
	if (!started.ok) throw new Error('not started');
	return started.attempt;
}

describe('issuing', () => {
	it('issues one certificate with the facts of the completion, in the completing submit', async () => {
		const user = await learner('Zoë Łukasz-Ødegård');
		const exam = await readyForExam(user);
		expect(await certificatesOf(user)).toEqual([]);
		const done = await submitAttempt(
			user,
			exam.id,
			course,
			course.finalExam!,
			keyAnswers(exam.questions)
		);
		expect(done!.courseCompleted).toBe(true);
		expect(done!.certificate).not.toBeNull();
		const [cert] = await certificatesOf(user);
		expect(cert).toMatchObject({
			id: done!.certificate!.id,
			holderName: 'Zoë Łukasz-Ødegård',
			courseId: course.id,
			courseVersion: course.version,
			courseTitle: course.title,
			scorePercent: 100,
			estimatedHours: 0.3,
			revokedAt: null
		});
		expect(isVerificationCode(cert!.code)).toBe(true);
		expect((await certificateByCode(cert!.code))?.id).toBe(cert!.id);
		expect(done!.events.at(-1)).toMatchObject({
			type: 'course.completed',
			certificateId: cert!.id
		});
		expect((await certificateHistoryOf(cert!.id)).map((h) => h.action)).toEqual(['issued']);
	});

	it('issues exactly one under 20 parallel completing submits', async () => {
		const user = await learner();
		const exam = await readyForExam(user);
		const answers = keyAnswers(exam.questions);
		const results = await Promise.all(
			Array.from({ length: 20 }, () =>
				submitAttempt(user, exam.id, course, course.finalExam!, answers)
			)
		);
		expect(results.filter((r) => r?.certificate)).toHaveLength(1);
		expect(await db.select().from(certificates).where(eq(certificates.userId, user))).toHaveLength(
			1
		);
	});

	it('codes are unique, and malformed or unknown codes find nothing', async () => {
		for (const code of [
			'',
			'x',
			'A'.repeat(31),
			'a'.repeat(32),
			'0'.repeat(32),
			"' or 1=1 --",
			'A'.repeat(10_000)
		])
			expect(await certificateByCode(code), code).toBeUndefined();
		expect(await certificateByCode('A'.repeat(32))).toBeUndefined();
		const codes = (await db.select({ code: certificates.code }).from(certificates)).map(
			(r) => r.code
		);
		expect(new Set(codes).size).toBe(codes.length);
	});
});

describe('after issue', () => {
	it('re-issues under the same code when the name on certificates changes', async () => {
		const user = await learner('Maria Ivanova');
		const exam = await readyForExam(user);
		await submitAttempt(user, exam.id, course, course.finalExam!, keyAnswers(exam.questions));
		const [before] = await certificatesOf(user);
		await setCertificateName(user, 'Мария Иванова');
		const [after] = await certificatesOf(user);
		expect(after).toMatchObject({
			id: before!.id,
			code: before!.code,
			holderName: 'Мария Иванова'
		});
		expect(after!.reissuedAt).toBeInstanceOf(Date);
		await setCertificateName(user, null);
		expect((await certificatesOf(user))[0]!.holderName).toBe('Maria Ivanova');
	});

	it('is visible to its holder only', async () => {
		const user = await learner();
		const exam = await readyForExam(user);
		await submitAttempt(user, exam.id, course, course.finalExam!, keyAnswers(exam.questions));
		const [cert] = await certificatesOf(user);
		const stranger = await learner();
		expect(await ownCertificate({ id: user, role: 'learner' }, cert!.id)).toBeDefined();
		for (const role of ['learner', 'coach', 'admin'] as const)
			expect(await ownCertificate({ id: stranger, role }, cert!.id)).toBeUndefined();
		expect(await ownCertificate({ id: user, role: 'learner' }, 'not-an-id')).toBeUndefined();
	});

	it('is flagged for an admin, not removed, when a regrade drops the learner below the pass mark', async () => {
		const admin = await learner('Admin');
		const user = await learner();
		const exam = await readyForExam(user);
		await submitAttempt(user, exam.id, course, course.finalExam!, keyAnswers(exam.questions));
		// The exam's key changes: every question now expects something else.
		const edited: Quiz = {
			...course.finalExam!,
			version: 'edited',
			questions: course.finalExam!.questions.map((q) => {
				if (q.type === 'numeric') return { ...q, answer: q.answer + 100 };
				if (q.type === 'text') return { ...q, accept: ['nothing at all'] };
				if (q.type === 'single' || q.type === 'multiple') {
					// The key moves to an option that was wrong.
					const wrong = q.options.findIndex((o) => !o.correct);
					return { ...q, options: q.options.map((o, i) => ({ ...o, correct: i === wrong })) };
				}
				// Matching: every pair now expects the next pair's answer.
				if (q.type === 'matching')
					return {
						...q,
						pairs: q.pairs.map((p, i, all) => ({ ...p, id: all[(i + 1) % all.length]!.id }))
					};
				return q;
			})
		};
		const changes = await applyRegrade(
			{ ...course, finalExam: edited },
			edited,
			admin,
			'Key fixed'
		);
		expect(changes.some((c) => c.userId === user && !c.newPassed)).toBe(true);
		const [cert] = await certificatesOf(user);
		expect(cert!.revokedAt).toBeNull();
		expect(cert!.basisChangedAt).toBeInstanceOf(Date);
		expect((await certificatesWithChangedBasis()).map((c) => c.id)).toContain(cert!.id);

		expect(await revokeCertificate(cert!.id, admin, 'Regrade: below the pass mark')).toEqual({
			ok: true
		});
		expect(await revokeCertificate(cert!.id, admin, 'again')).toEqual({
			ok: false,
			reason: 'unchanged'
		});
		expect((await certificateByCode(cert!.code))?.revokedReason).toBe(
			'Regrade: below the pass mark'
		);
		expect(await reinstateCertificate(cert!.id, admin, 'Appeal upheld')).toEqual({ ok: true });
		const reinstated = await certificateByCode(cert!.code);
		expect(reinstated).toMatchObject({ revokedAt: null, basisChangedAt: null });
		expect((await certificateHistoryOf(cert!.id)).map((h) => [h.action, h.by, h.reason])).toEqual([
			['issued', null, null],
			['basis-changed', 'Admin', 'Key fixed'],
			['revoked', 'Admin', 'Regrade: below the pass mark'],
			['reinstated', 'Admin', 'Appeal upheld']
		]);
		expect((await searchCertificates(cert!.code)).map((c) => c.id)).toEqual([cert!.id]);
	});
});
