import { error, redirect } from '@sveltejs/kit';
import { requireEnrolment, requireUser } from '$lib/server/http/guards';
import { findQuiz } from '$lib/server/content/catalog';
import { examUrl, quizUrl } from '$lib/routes';
import { attemptsOf, findAttempt } from '$lib/server/quiz/attempts';
import { standing } from '$lib/quiz/standing';
import { reviewOf } from '$lib/server/quiz/views';
import { gradeHistory } from '$lib/server/quiz/regrade';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const user = requireUser();
	// Someone else's attempt, or one from another course, is simply not found: checked before
	// anything else, so a stranger learns nothing, not even that the course exists.
	const attempt = await findAttempt(user, params.attempt);
	if (!attempt || attempt.courseId !== params.course) error(404, 'Attempt not found');
	const { course } = await requireEnrolment(params.course);
	const found = findQuiz(course, attempt.quizId);
	if (!found) error(404, 'Quiz not found');
	const back = found.module ? quizUrl(course.id, found.module.id) : examUrl(course.id);
	if (!attempt.submittedAt) redirect(303, back);
	const all = await attemptsOf(user.id, course.id, attempt.quizId);
	const { answersAllowed, grade, passed } = standing(found.quiz, all);
	const lessonLink = (id: string) => {
		const lesson = course.lessons.find((l) => l.id === id);
		return lesson ? { title: lesson.title, url: lesson.url } : null;
	};
	return {
		course: { id: course.id, title: course.title },
		quiz: { title: found.quiz.title, passPercent: found.quiz.settings.passPercent, url: back },
		attempt: {
			number: attempt.number,
			score: attempt.score!,
			maxScore: attempt.maxScore!,
			percent: attempt.percent!,
			passed: attempt.passed!,
			submittedAt: attempt.submittedAt.toISOString()
		},
		recorded: { grade, passed },
		// Set by the submit that completed the course and issued a certificate (see quiz-page.ts).
		earnedCertificate: url.searchParams.has('earned'),
		regrades: (await gradeHistory(attempt.id)).map((g) => ({
			at: g.changedAt.toISOString(),
			reason: g.reason,
			oldScore: g.oldScore,
			newScore: g.newScore
		})),
		answersHeldBack: !answersAllowed && found.quiz.settings.review !== 'score',
		review: reviewOf(attempt, found.quiz.settings, answersAllowed, lessonLink)
	};
}) satisfies PageServerLoad;
