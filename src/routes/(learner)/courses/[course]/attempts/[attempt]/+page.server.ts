import { error, redirect } from '@sveltejs/kit';
import { requireEnrolment, requireUser } from '$lib/server/http/guards';
import { findQuiz } from '$lib/server/content/catalog';
import { now } from '$lib/server/clock';
import { examUrl, quizUrl } from '$lib/routes';
import { attemptsOf, findAttempt, startRefusal } from '$lib/server/quiz/attempts';
import { standing } from '$lib/quiz/standing';
import { nextStep } from '$lib/progress/next-step';
import { reviewOf } from '$lib/server/quiz/views';
import { gradeHistory } from '$lib/server/quiz/regrade';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const user = requireUser();
	// Someone else's attempt, or one from another course, is simply not found: checked before
	// anything else, so a stranger learns nothing, not even that the course exists.
	const attempt = await findAttempt(user, params.attempt);
	if (!attempt || attempt.courseId !== params.course) error(404, 'Attempt not found');
	const { course, progress } = await requireEnrolment(params.course);
	const found = findQuiz(course, attempt.quizId);
	if (!found) error(404, 'Quiz not found');
	const back = found.module ? quizUrl(course.id, found.module.id) : examUrl(course.id);
	if (!attempt.submittedAt) redirect(303, back);
	const [all, regrades] = await Promise.all([
		attemptsOf(user.id, course.id, attempt.quizId),
		gradeHistory(attempt.id)
	]);
	const { answersAllowed, grade, passed } = standing(found.quiz, all);
	const lessonLink = (id: string) => {
		const lesson = course.lessons.find((l) => l.id === id);
		return lesson ? { title: lesson.title, url: lesson.url } : null;
	};
	const settings = found.quiz.settings;
	// Which questions were missed is only named when the review policy shows it; with "score",
	// every lesson the quiz draws on is suggested instead.
	const missed = attempt.questions.filter(
		(q) => settings.review === 'score' || !attempt.results?.[q.id]?.correct
	);
	const max = settings.maxAttempts;
	const step = nextStep({
		courseId: course.id,
		progress,
		moduleIndex: found.module ? course.modules.indexOf(found.module) : null,
		quizPassed: passed,
		missedLessons: missed.flatMap((q) => (q.lesson === undefined ? [] : (lessonLink(q.lesson) ?? []))),
		refusal: all.some((a) => !a.submittedAt) ? null : startRefusal(found.quiz, all, now()),
		attemptsLeft: max === null ? null : Math.max(0, max - all.length)
	});
	return {
		course: { id: course.id, title: course.title },
		quiz: {
			title: found.quiz.title,
			passPercent: settings.passPercent,
			url: back,
			exam: !found.module,
			moduleNumber: found.module ? course.modules.indexOf(found.module) + 1 : null
		},
		attempt: {
			number: attempt.number,
			score: attempt.score!,
			maxScore: attempt.maxScore!,
			percent: attempt.percent!,
			passed: attempt.passed!,
			submittedAt: attempt.submittedAt.toISOString(),
			questionCount: attempt.questions.length
		},
		recorded: { grade, passed },
		next: step,
		serverNow: now().toISOString(),
		// Set by the submit that completed the course and issued a certificate (see quiz-page.ts).
		earnedCertificate: url.searchParams.has('earned'),
		regrades: regrades.map((g) => ({
			at: g.changedAt.toISOString(),
			reason: g.reason,
			oldScore: g.oldScore,
			newScore: g.newScore
		})),
		answersHeldBack: !answersAllowed && settings.review !== 'score',
		review: reviewOf(attempt, settings, answersAllowed, lessonLink)
	};
}) satisfies PageServerLoad;
