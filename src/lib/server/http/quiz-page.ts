// The HTTP side of a quiz page (module quiz or final exam): what the learner sees and the
// start / save / submit actions. Rules live in attempts.ts; this file parses and routes.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { findCourse } from '../content/catalog';
import { requireEnrolment, requireUser } from './guards';
import { formDataOf, wholeNumberField } from './forms';
import type { Course } from '../content/types';
import { now } from '../clock';
import { attemptUrl, completionUrl, examUrl, quizUrl } from '../../routes';
import { unansweredNumbers } from '../../quiz/unanswered';
import { retryPhrase, zoneOrUtc } from '../../time';
import type { CourseProgress } from '../../progress/rules';
import { standing } from '../../quiz/standing';
import type { QuizPageData } from '../../quiz/views';
import {
	attemptsOf,
	displaySeed,
	isExpired,
	openAttempt,
	saveAnswers,
	startAttempt,
	startRefusal,
	submitAttempt
} from '../quiz/attempts';
import { readFormAnswers } from '../quiz/form-answers';
import { answerForLearner, questionView } from '../quiz/views';

type QuizRef = { moduleId: string } | { exam: true };

/** The course and quiz named by the URL, from the catalogue (no query); 404 if unknown. */
function quizOf(event: RequestEvent, ref: QuizRef) {
	const course = findCourse(event.params.course!);
	const quiz =
		'exam' in ref ? course?.finalExam : course?.modules.find((m) => m.id === ref.moduleId)?.quiz;
	if (!course || !quiz) error(404, 'Quiz not found');
	return { course, quiz };
}

async function resolve(event: RequestEvent, ref: QuizRef) {
	const { user, course, progress } = await requireEnrolment(event.params.course!);
	const { quiz } = quizOf(event, ref);
	const userId = user.id;
	const status =
		'exam' in ref ? progress.finalExam : progress.modules.find((m) => m.id === ref.moduleId)?.quiz;
	return { course, quiz, userId, open: Boolean(status?.open), progress };
}

/** What a closed quiz is waiting for, each with a link to it. */
function missingFor(progress: CourseProgress, ref: QuizRef): QuizPageData['missing'] {
	if ('exam' in ref)
		return progress.modules.flatMap((m) => {
			if (m.state === 'done') return [];
			const step = m.lessons.find((l) => !l.done)?.url ?? m.quiz?.url ?? m.lessons[0]?.url;
			return step ? [{ title: m.title, url: step, kind: 'module' as const }] : [];
		});
	const module = progress.modules.find((m) => m.id === ref.moduleId);
	return (module?.lessons ?? [])
		.filter((l) => !l.done)
		.map((l) => ({ title: l.title, url: l.url, kind: 'lesson' as const }));
}

/** After a pass: the first step not done in the course, or its completion page. */
function continueFrom(progress: CourseProgress, course: Course): QuizPageData['continueTo'] {
	if (progress.complete) return { label: 'You finished the course', url: completionUrl(course.id) };
	return progress.next && { label: `Continue: ${progress.next.label}`, url: progress.next.url };
}

export async function loadQuizPage(event: RequestEvent, ref: QuizRef): Promise<QuizPageData> {
	const { course, quiz, userId, open, progress } = await resolve(event, ref);
	const attempts = await attemptsOf(userId, course.id, quiz.id);
	const current = attempts.find((a) => !a.submittedAt);
	// Time ran out while the learner was away: grade what was saved.
	if (current && isExpired(current)) {
		await submitAttempt(userId, current.id, course, quiz);
		redirect(303, attemptUrl(course.id, current.id));
	}
	const at = now();
	const refusal = current ? null : startRefusal(quiz, attempts, at);
	const { grade, passed: hasPassed } = standing(quiz, attempts);
	return {
		course: { id: course.id, title: course.title },
		quiz: {
			title: quiz.title,
			questionCount: quiz.settings.draw ?? quiz.questions.length,
			passPercent: quiz.settings.passPercent,
			maxAttempts: quiz.settings.maxAttempts,
			waitMinutes: quiz.settings.waitMinutes,
			timeLimitMinutes: quiz.settings.timeLimitMinutes,
			grade: quiz.settings.grade
		},
		open,
		missing: open ? [] : missingFor(progress, ref),
		continueTo: continueFrom(progress, course),
		exam: 'exam' in ref,
		serverNow: at.toISOString(),
		refusal: refusal && {
			reason: refusal.reason,
			until: refusal.reason === 'wait' ? refusal.until.toISOString() : null
		},
		attempt: current
			? {
					id: current.id,
					number: current.number,
					revision: current.saveRevision,
					deadlineAt: current.deadlineAt?.toISOString() ?? null,
					serverNow: at.toISOString(),
					questions: current.questions.map((q) => questionView(q, displaySeed(current))),
					answers: Object.fromEntries(
						current.questions.map((q) => [
							q.id,
							answerForLearner(q, displaySeed(current), current.answers[q.id])
						])
					)
				}
			: null,
		history: attempts
			.filter((a) => a.submittedAt)
			.map((a) => ({
				id: a.id,
				number: a.number,
				submittedAt: a.submittedAt!.toISOString(),
				percent: a.percent,
				passed: a.passed,
				url: attemptUrl(course.id, a.id)
			})),
		recordedGrade: grade,
		passed: hasPassed
	};
}

function pageUrl(course: Course, ref: QuizRef, question?: number) {
	const base = 'exam' in ref ? examUrl(course.id) : quizUrl(course.id, ref.moduleId);
	return question === undefined ? base : `${base}?q=${question}`;
}

export function quizActions(ref: QuizRef) {
	return {
		start: async (event: RequestEvent) => {
			const { course, quiz, userId, open } = await resolve(event, ref);
			if (!open)
				return fail(403, { message: 'Finish the lessons first: this quiz is not open yet.' });
			const result = await startAttempt(userId, course, quiz);
			if (!result.ok) {
				const zone = zoneOrUtc(requireUser().timeZone);
				const until = result.reason === 'wait' ? result.until.toISOString() : '';
				return fail(409, {
					message:
						result.reason === 'wait'
							? `Not yet: you can try again ${retryPhrase(until, zone, now().getTime())}.`
							: 'You have used every attempt for this quiz.'
				});
			}
			redirect(303, pageUrl(course, ref, 1));
		},
		// Autosave's hot path: the open attempt (which proves ownership and enrolment) and one
		// UPDATE; no progress is recomputed, since an open attempt's quiz was open when it started.
		save: async (event: RequestEvent) => {
			const user = requireUser();
			const { course, quiz } = quizOf(event, ref);
			const attempt = await openAttempt(user.id, course.id, quiz.id);
			if (!attempt) return fail(409, { message: 'This attempt is already finished.' });
			const form = await formDataOf(event.request);
			const { answers, errors } = readFormAnswers(form, attempt);
			if (Object.keys(errors).length) return fail(400, { answerErrors: errors });
			const revision = wholeNumberField(form, 'revision', { min: 1 });
			if (!revision.ok) return fail(400, { message: revision.message });
			const saved = await saveAnswers(attempt, answers, revision.value);
			if (!saved.ok && saved.reason === 'expired') {
				await submitAttempt(user.id, attempt.id, course, quiz);
				redirect(303, attemptUrl(course.id, attempt.id));
			}
			if (!saved.ok && saved.reason === 'stale')
				return fail(409, {
					message: 'A newer save of these answers arrived first.',
					stale: true,
					revision: saved.revision
				});
			if (!saved.ok) return fail(409, { message: 'This attempt is already finished.' });
			const goto = Number(form.get('goto'));
			redirect(303, pageUrl(course, ref, Number.isInteger(goto) && goto > 0 ? goto : undefined));
		},
		// Like save, an open attempt proves ownership and enrolment, and that the quiz was open.
		submit: async (event: RequestEvent) => {
			const userId = requireUser().id;
			const { course, quiz } = quizOf(event, ref);
			const attempt = await openAttempt(userId, course.id, quiz.id);
			if (!attempt) {
				// A repeated submit of an attempt already graded lands on its result.
				const last = (await attemptsOf(userId, course.id, quiz.id)).at(-1);
				if (last?.submittedAt) redirect(303, attemptUrl(course.id, last.id));
				return fail(409, { message: 'There is no attempt in progress.' });
			}
			const form = await formDataOf(event.request);
			const { answers, errors } = readFormAnswers(form, attempt);
			if (Object.keys(errors).length) return fail(400, { answerErrors: errors });
			// Questions left blank are graded only once the learner confirms; what they did answer
			// is saved first, so the confirm step (also without JavaScript) loses nothing.
			const unanswered = unansweredNumbers(attempt.questions, { ...attempt.answers, ...answers });
			if (unanswered.length && form.get('confirm') !== 'unanswered' && !isExpired(attempt)) {
				const saved = await saveAnswers(attempt, answers);
				if (saved.ok) return fail(409, { unanswered });
			}
			// The attempt as read above: graded in one statement if nothing changed it since.
			const graded = await submitAttempt(userId, attempt.id, course, quiz, answers, attempt);
			const result = attemptUrl(course.id, graded!.attempt.id);
			// The submit that completes the course says so on the result page, once.
			redirect(303, graded?.certificate ? `${result}?earned=${graded.certificate.id}` : result);
		}
	};
}
