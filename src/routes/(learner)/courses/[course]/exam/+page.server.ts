import { loadQuizPage, quizActions } from '$lib/server/http/quiz-page';
import type { Actions, PageServerLoad } from './$types';

const exam = { exam: true } as const;

export const load = (async (event) => loadQuizPage(event, exam)) satisfies PageServerLoad;

export const actions = quizActions(exam) satisfies Actions;
