// Preview of an uploaded package version as a learner sees it: lessons, and quizzes answered
// with feedback. Grading here is in memory: nothing is written to anyone's progress.
import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/http/guards';
import { formDataOf } from '$lib/server/http/forms';
import { packageCourse } from '$lib/server/authoring/packages';
import { courseQuizzes } from '$lib/server/content/authoring-hints';
import { scoreQuestion } from '$lib/quiz/scoring';
import type { Answer } from '$lib/quiz/answers';
import type { Question } from '$lib/quiz/types';
import type { Actions, PageServerLoad } from './$types';

async function previewed(courseId: string, version: string) {
	const n = Number(version);
	if (!Number.isInteger(n) || n < 1) error(404, 'No such version');
	const found = await packageCourse(courseId, n);
	if (!found) error(404, 'No such version');
	if (!found.course) error(404, 'This version did not pass the check, so it has no preview');
	return found.course;
}

/** What a question asks, without its key: choices in the file's order, matching answers sorted. */
function questionView(q: Question) {
	const base = {
		id: q.id,
		type: q.type,
		promptHtml: q.promptHtml,
		points: q.points,
		choices: [] as { id: string; text: string }[],
		rows: [] as { id: string; text: string }[],
		unit: undefined as string | undefined
	};
	switch (q.type) {
		case 'single':
		case 'multiple':
			return { ...base, choices: q.options.map((o) => ({ id: o.id, text: o.text })) };
		case 'matching':
			return {
				...base,
				rows: q.pairs.map((p) => ({ id: p.id, text: p.left })),
				choices: q.pairs
					.map((p) => ({ id: p.id, text: p.right }))
					.sort((a, b) => a.text.localeCompare(b.text))
			};
		case 'ordering':
			return {
				...base,
				choices: [...q.items].sort((a, b) => a.text.localeCompare(b.text))
			};
		case 'numeric':
			return { ...base, unit: q.unit };
		default:
			return base;
	}
}

export const load = (async ({ params }) => {
	requireRole('admin');
	const course = await previewed(params.course, params.version);
	// Images point at the published course's media; a preview serves this version's own.
	const published = `/courses/${course.id}/media/`;
	const own = `/admin/courses/${course.id}/preview/${params.version}/media/`;
	const local = (html: string) => html.replaceAll(`"${published}`, `"${own}`);
	return {
		courseId: course.id,
		version: Number(params.version),
		title: course.title,
		modules: course.modules.map((m) => ({
			id: m.id,
			title: m.title,
			lessons: m.lessons.map((l) => ({ id: l.id, title: l.title, html: local(l.html) }))
		})),
		quizzes: courseQuizzes(course).map((quiz) => ({
			id: quiz.id,
			title: quiz.title,
			questions: quiz.questions.map((q) => ({ ...questionView(q), promptHtml: local(q.promptHtml) }))
		}))
	};
}) satisfies PageServerLoad;

function answerOf(q: Question, form: FormData): Answer | null {
	const key = `q:${q.id}`;
	const one = form.get(key);
	switch (q.type) {
		case 'single':
			return typeof one === 'string' && one ? one : null;
		case 'multiple': {
			const all = form.getAll(key).filter((v): v is string => typeof v === 'string');
			return all.length ? all : null;
		}
		case 'truefalse':
			return one === 'true' ? true : one === 'false' ? false : null;
		case 'numeric': {
			const n = typeof one === 'string' && one.trim() ? Number(one.replace(',', '.')) : NaN;
			return Number.isFinite(n) ? n : null;
		}
		case 'text':
			return typeof one === 'string' && one.trim() ? one : null;
		case 'matching':
			return Object.fromEntries(
				q.pairs.map((p) => {
					const chosen = form.get(`${key}:${p.id}`);
					return [p.id, typeof chosen === 'string' ? chosen : ''];
				})
			);
		case 'ordering':
			return q.items
				.map((item) => ({ id: item.id, at: Number(form.get(`${key}:${item.id}`) ?? NaN) }))
				.sort((a, b) => a.at - b.at)
				.map((x) => x.id);
	}
}

function feedbackOf(q: Question, answer: Answer | null, correct: boolean): string[] {
	if (correct) return [];
	if (answer === null) return ['Not answered.'];
	if (q.type === 'single')
		return q.options.filter((o) => o.id === answer && o.feedback).map((o) => o.feedback!);
	if (q.type === 'multiple') {
		const chosen = new Set(Array.isArray(answer) ? answer : []);
		const notes = q.options.filter((o) => !o.correct && chosen.has(o.id) && o.feedback);
		return notes.length ? notes.map((o) => o.feedback!) : ['Not every correct option was chosen.'];
	}
	return [q.feedback];
}

export const actions = {
	check: async ({ request, params }) => {
		requireRole('admin');
		const course = await previewed(params.course, params.version);
		const form = await formDataOf(request);
		const quiz = courseQuizzes(course).find((q) => q.id === form.get('quiz'));
		if (!quiz) return fail(400, { error: 'Choose a quiz to check.' });
		const results = Object.fromEntries(
			quiz.questions.map((q) => {
				const answer = answerOf(q, form);
				const { score, points, correct } = scoreQuestion(q, answer);
				return [
					q.id,
					{ score, points, correct, feedback: feedbackOf(q, answer, correct), explanation: q.explanation }
				];
			})
		);
		return { quiz: quiz.id, results };
	}
} satisfies Actions;
