import { loadQuizPage, quizActions } from '$lib/server/http/quiz-page';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) =>
	loadQuizPage(event, { moduleId: event.params.module })) satisfies PageServerLoad;

export const actions = {
	start: (event) => quizActions({ moduleId: event.params.module }).start(event),
	save: (event) => quizActions({ moduleId: event.params.module }).save(event),
	submit: (event) => quizActions({ moduleId: event.params.module }).submit(event)
} satisfies Actions;
