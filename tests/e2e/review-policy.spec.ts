// A quiz that keeps answers back until the learner passes or runs out of attempts keeps back
// everything that states them: authors' feedback and explanations too, in the page and in its
// data (an outside probe read "Psoas major arises from T12 all the way down to L5" after a fail).
import fs from 'node:fs';
import { parse } from 'yaml';
import { expect, test } from '@playwright/test';
import { choiceValues, JS_ONLY, signUp, uniqueEmail } from './helpers';

const COURSE = '/courses/hip-flexor-pain';
const QUIZ = `${COURSE}/anatomy/quiz`;
const LESSONS = ['meet-the-hip-flexors', 'what-the-hip-flexors-do', 'nerves-and-neighbours'];

interface QuestionFile {
	id: string;
	type: string;
	answer?: unknown;
	feedback?: string;
	explanation: string;
	options?: { text: string; correct?: boolean; feedback?: string }[];
}
const quiz = parse(fs.readFileSync('courses/hip-flexor-pain/01-anatomy/quiz.yaml', 'utf8')) as {
	settings: { answersOnlyWhenDone: boolean };
	questions: QuestionFile[];
};

// An HTTP-level check, run once.
test(
	'a failed attempt shows neither feedback nor explanations while answers are held back',
	{ tag: JS_ONLY },
	async ({ page, baseURL }, testInfo) => {
		expect(quiz.settings.answersOnlyWhenDone).toBe(true);
		await signUp(page, 'Held Back', uniqueEmail(testInfo));
		const post = (url: string, form: [string, string][] = []) =>
			page.request.post(url, {
				headers: {
					origin: baseURL!,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				data: new URLSearchParams(form).toString(),
				maxRedirects: 0
			});
		expect((await post(`${COURSE}?/enrol`)).status()).toBe(303);
		for (const lesson of LESSONS)
			expect((await post(`${COURSE}/anatomy/${lesson}?/done`)).status()).toBe(303);
		expect((await post(`${QUIZ}?/start`)).status()).toBe(303);

		// Every answer wrong, so every question has feedback to give.
		const values = await choiceValues(page, QUIZ);
		const form: [string, string][] = [];
		for (const q of quiz.questions) {
			form.push(['shown', q.id]);
			const wrong = q.options?.find((o) => !o.correct);
			if (wrong) form.push([`q.${q.id}`, values.get(`q.${q.id}`)!.get(wrong.text)!]);
			if (q.type === 'numeric') form.push([`q.${q.id}`, String(Number(q.answer) - 1)]);
			if (q.type === 'truefalse') form.push([`q.${q.id}`, String(!q.answer)]);
		}
		// Questions this form leaves blank (matching) are confirmed, as "Submit anyway" would.
		const submitted = await post(`${QUIZ}?/submit`, [...form, ['confirm', 'unanswered']]);
		expect(submitted.status()).toBe(303);
		const result = submitted.headers()['location']!;

		const held = quiz.questions.flatMap((q) => [
			q.explanation,
			...(q.feedback ? [q.feedback] : []),
			...(q.options ?? []).flatMap((o) => (o.feedback ? [o.feedback] : []))
		]);
		expect(held.length).toBeGreaterThan(10);
		const html = await (await page.request.get(result)).text();
		const data = await (await page.request.get(`${result}/__data.json`)).text();
		expect(html).toContain('Not passed yet');
		expect(data).toContain('answersHeldBack');
		for (const [where, body] of [
			['page', html],
			['__data.json', data]
		] as const)
			for (const text of held) expect(body, `${where} holds: ${text}`).not.toContain(text);
		await page.goto(result);
		await expect(page.getByText('Not correct').first()).toBeVisible();
	}
);
