// Module quizzes on the fixture course (tests/fixtures/courses/fixture-course): failing, reviewing,
// retrying and passing, saved answers, and the requests a browser would not make.
import { expect, test, type APIResponse, type Page, type TestInfo } from '@playwright/test';
import {
	choiceValues,
	expectNoAxeViolations,
	JS_ONLY,
	NO_JS_ONLY,
	signUp,
	uniqueEmail
} from './helpers';

const COURSE = '/courses/fixture-course';
const QUIZ = `${COURSE}/basics/quiz`;
const ADVANCED_QUIZ = `${COURSE}/advanced/quiz`;
const FIRST = `${COURSE}/basics/first-steps`;
const SECOND = `${COURSE}/basics/second-steps`;
const DEEP = `${COURSE}/advanced/deep-dive`;
const RESULT = new RegExp(`${COURSE}/attempts/[0-9a-f-]{36}$`);

// 01-basics/quiz.yaml: questions in file order (no shuffling), pass mark 50%, waitMinutes 0.
const WRONG = [['Chill the pot'], ['Freeze the water'], ['False']];
const RIGHT = [['Warm the pot'], ['Measure the leaves', 'Time the brew'], ['True']];
/**
 * Form fields for the no-JavaScript form, every question shown, choosing options by their text.
 * The values come from the open attempt's page, as a browser would send them: they are per-attempt
 * ids, not the ids in the quiz file.
 */
async function formFields(page: Page, url: string, answers: string[][]) {
	const values = await choiceValues(page, url);
	const ids = ['warm-first', 'brew-steps', 'fresh-water'];
	return ids.flatMap((id, i): [string, string][] => [
		['shown', id],
		...(answers[i] ?? []).map((text): [string, string] => [
			`q.${id}`,
			id === 'fresh-water' ? text.toLowerCase() : values.get(`q.${id}`)!.get(text)!
		])
	]);
}
/** Fields for posts that are refused before any answer is read. */
const ANY_FIELDS: [string, string][] = [
	['shown', 'warm-first'],
	['q.warm-first', 'a']
];

const isJs = (testInfo: TestInfo) => testInfo.project.name === 'js';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const urlOf = (path: string) => new RegExp(`${escape(path)}$`);
/** The overview's row for the module-1 quiz (a list item with no list inside it). */
const quizRow = (page: Page) =>
	page
		.getByRole('listitem')
		.filter({ has: page.getByRole('link', { name: 'The basics quiz' }) })
		.filter({ hasNot: page.getByRole('list') });
const question = (page: Page, n: number) =>
	page.getByRole('group', { name: new RegExp(`^Question ${n}\\b`) });

/** Enrols in the fixture course and marks both module-1 lessons done; ends on the quiz page. */
async function readModuleOne(page: Page) {
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expect(page).toHaveURL(urlOf(FIRST));
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expect(page).toHaveURL(urlOf(SECOND));
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	// After the module's last lesson comes its quiz.
	await expect(page).toHaveURL(urlOf(QUIZ));
	await expect(page.getByRole('heading', { level: 1, name: 'The basics quiz' })).toBeVisible();
}

async function startQuiz(page: Page, testInfo: TestInfo, label = 'Start the quiz') {
	await page.getByRole('button', { name: label }).click();
	await expect(page).toHaveURL(urlOf(`${QUIZ}?q=1`));
	if (isJs(testInfo)) await expect(page.getByText('Question 1 of 3')).toBeVisible();
}

async function choose(page: Page, n: number, labels: string[]) {
	for (const label of labels) await question(page, n).getByLabel(label, { exact: true }).check();
}

async function expectChosen(page: Page, n: number, labels: string[]) {
	for (const label of labels)
		await expect(question(page, n).getByLabel(label, { exact: true })).toBeChecked();
}

/** With JavaScript: one screen per question, "Save and next" between them. Without: one form. */
async function answerAndSubmit(page: Page, testInfo: TestInfo, answers: string[][]) {
	for (const [i, labels] of answers.entries()) {
		if (isJs(testInfo)) await expect(page.getByText(`Question ${i + 1} of 3`)).toBeVisible();
		await choose(page, i + 1, labels);
		if (isJs(testInfo) && i < answers.length - 1)
			await page.getByRole('button', { name: 'Save and next' }).click();
	}
	await page.getByRole('button', { name: 'Submit answers for grading' }).click();
	await expect(page).toHaveURL(RESULT);
}

/** A form post as the page's own browser would make it (same origin, the page's cookies). */
async function post(
	page: Page,
	url: string,
	fields: [string, string][],
	origin: string
): Promise<APIResponse> {
	const body = new URLSearchParams();
	for (const [k, v] of fields) body.append(k, v);
	return page.request.post(url, {
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin
		},
		data: body.toString(),
		maxRedirects: 0
	});
}

/** The open attempt is still there, unsubmitted, with no graded attempts in the history. */
async function expectAttemptStillOpen(page: Page, testInfo: TestInfo, attemptLabel = 'Attempt 1.') {
	await page.goto(`${QUIZ}?q=1`);
	await expect(page.getByText(attemptLabel)).toBeVisible();
	if (isJs(testInfo)) await expect(page.getByText('Question 1 of 3')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Your attempts' })).toHaveCount(0);
}

test('fail the module quiz, review the feedback, retry and pass', async ({ page }, testInfo) => {
	await signUp(page, 'Quiz Taker', uniqueEmail(testInfo));
	await readModuleOne(page);
	await expect(page.getByText('3 questions; pass mark 50%.')).toBeVisible();
	await startQuiz(page, testInfo);
	await expect(page.getByText('Attempt 1.')).toBeVisible();

	if (isJs(testInfo)) {
		// One question per screen; the others are hidden.
		await expect(question(page, 1)).toBeVisible();
		await expect(question(page, 2)).toBeHidden();
		await expect(question(page, 3)).toBeHidden();
		await expect(page.getByRole('button', { name: 'Previous' })).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Submit answers for grading' })).toHaveCount(0);
		await expectNoAxeViolations(page);

		await choose(page, 1, WRONG[0]!);
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();
		await expect(question(page, 1)).toBeHidden();
		await choose(page, 2, WRONG[1]!);
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 3 of 3')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Save and next' })).toHaveCount(0);
		await choose(page, 3, WRONG[2]!);
		// Going back keeps every answer, including the one on the screen just left.
		await page.getByRole('button', { name: 'Previous' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();
		await expectChosen(page, 2, WRONG[1]!);
		await page.getByRole('button', { name: 'Previous' }).click();
		await expect(page.getByText('Question 1 of 3')).toBeVisible();
		await expectChosen(page, 1, WRONG[0]!);
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 3 of 3')).toBeVisible();
		await expectChosen(page, 3, WRONG[2]!);
		await page.getByRole('button', { name: 'Submit answers for grading' }).click();
		await expect(page).toHaveURL(RESULT);
	} else {
		// Without JavaScript every question is in one form.
		for (const n of [1, 2, 3]) await expect(question(page, n)).toBeVisible();
		await expect(page.getByText('Question 1 of 3')).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Save answers' })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Save and next' })).toHaveCount(0);
		await answerAndSubmit(page, testInfo, WRONG);
	}

	// The result: not passed, feedback on each wrong choice, and the lessons to review.
	await expect(page.getByRole('heading', { level: 1, name: /^Not passed yet/ })).toBeVisible();
	await expect(page.getByRole('status')).toContainText('You scored 0% (0 of 3 points)');
	await expect(page.getByText('Not correct')).toHaveCount(3);
	await expect(page.getByText('A cold pot cools the water too quickly.')).toBeVisible();
	await expect(page.getByText('Tea is brewed with hot water.')).toBeVisible();
	await expect(
		page.getByText('The first-steps lesson opens with fresh water and a warm pot.')
	).toBeVisible();
	const reviewLinks = page.getByRole('link', { name: 'First steps', exact: true });
	await expect(reviewLinks).toHaveCount(2);
	await expect(reviewLinks.first()).toHaveAttribute('href', FIRST);
	await expect(page.getByRole('link', { name: 'Second steps', exact: true })).toHaveAttribute(
		'href',
		SECOND
	);
	// The fixture quiz does not set answersOnlyWhenDone, so the key may be shown after grading.
	await expect(page.getByText('Correct answer: Warm the pot')).toBeVisible();
	await expect(page.getByText('The correct answers and explanations are shown once')).toHaveCount(
		0
	);
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	const firstResult = page.url();

	await reviewLinks.first().click();
	await expect(page).toHaveURL(urlOf(FIRST));
	await page.goto(firstResult);

	await page
		.getByRole('navigation', { name: 'Breadcrumb' })
		.getByRole('link', { name: 'The basics quiz' })
		.click();
	await expect(page).toHaveURL(urlOf(QUIZ));
	const history = page.getByRole('table');
	await expect(history.getByRole('row')).toHaveCount(2);
	await expect(history.getByRole('row').nth(1)).toContainText('Attempt 1');
	await expect(history.getByRole('row').nth(1)).toContainText('0%');
	await expect(history.getByRole('row').nth(1)).toContainText('Not passed');
	await expect(page.getByText('Your grade: 0% — not passed yet.')).toBeVisible();

	// waitMinutes is 0 in the fixture, so a retry is offered at once.
	await startQuiz(page, testInfo, 'Try again');
	await expect(page.getByText('Attempt 2.')).toBeVisible();
	// A new attempt starts blank.
	await expect(question(page, 1).getByLabel('Chill the pot', { exact: true })).not.toBeChecked();
	await answerAndSubmit(page, testInfo, RIGHT);
	await expect(page.getByRole('heading', { level: 1, name: /^You passed/ })).toBeVisible();
	await expect(page.getByRole('status')).toContainText('You scored 100% (3 of 3 points)');
	await expect(page.getByText('Correct', { exact: true })).toHaveCount(3);

	await page
		.getByRole('navigation', { name: 'Breadcrumb' })
		.getByRole('link', { name: 'The basics quiz' })
		.click();
	await expect(page.getByText('Your grade: 100% — passed.')).toBeVisible();
	await expect(page.getByRole('table').getByRole('row')).toHaveCount(3);

	await page.goto(COURSE);
	const basics = page.getByRole('listitem').filter({
		has: page.getByRole('heading', { level: 3, name: 'The basics' })
	});
	await expect(basics.locator('.state')).toHaveText('Done');
	await expect(quizRow(page)).toContainText('Passed');
	// Every lesson of module 1 and its quiz; next comes the second module.
	await expect(
		page.getByText('2 of 3 lessons done · 1 of 2 quizzes passed · final exam not passed yet.')
	).toBeVisible();
	await expect(page.getByText('50% done')).toBeVisible();
	await page.getByRole('link', { name: 'Continue', exact: true }).click();
	await expect(page).toHaveURL(urlOf(DEEP));
});

test('saved answers survive a reload mid-attempt', async ({ page }, testInfo) => {
	await signUp(page, 'Reloader', uniqueEmail(testInfo));
	await readModuleOne(page);
	await startQuiz(page, testInfo);
	await choose(page, 1, ['Chill the pot']);
	if (isJs(testInfo)) {
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();
		await choose(page, 2, ['Measure the leaves', 'Freeze the water']);
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 3 of 3')).toBeVisible();
		await page.reload();
		await expect(page.getByText('Question 3 of 3')).toBeVisible();
		await page.goto(`${QUIZ}?q=2`);
		await expect(page.getByText('Question 2 of 3')).toBeVisible();
		await expectChosen(page, 2, ['Measure the leaves', 'Freeze the water']);
		await expect(question(page, 2).getByLabel('Time the brew')).not.toBeChecked();
		await page.goto(`${QUIZ}?q=1`);
		await expect(page.getByText('Question 1 of 3')).toBeVisible();
	} else {
		await choose(page, 2, ['Measure the leaves', 'Freeze the water']);
		await page.getByRole('button', { name: 'Save answers' }).click();
		await expect(page).toHaveURL(urlOf(`${QUIZ}?q=1`));
		await page.reload();
		await expectChosen(page, 2, ['Measure the leaves', 'Freeze the water']);
		await expect(question(page, 2).getByLabel('Time the brew')).not.toBeChecked();
	}
	await expectChosen(page, 1, ['Chill the pot']);
	await expect(question(page, 1).getByLabel('Warm the pot')).not.toBeChecked();
	// Still the same attempt, not a new one.
	await expect(page.getByText('Attempt 1.')).toBeVisible();
	// Leaving and coming back through the course keeps them too.
	await page.goto(COURSE);
	await page.getByRole('link', { name: 'The basics quiz' }).click();
	await expect(page).toHaveURL(urlOf(QUIZ));
	await expectChosen(page, 1, ['Chill the pot']);
});

test('the quiz stays closed until the module lessons are done', async ({
	page,
	baseURL
}, testInfo) => {
	await signUp(page, 'Too Early', uniqueEmail(testInfo));
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expect(page).toHaveURL(urlOf(FIRST));
	await page.goto(QUIZ);
	// The page names what is missing, with a link to each lesson still to mark as done.
	await expect(page.getByText('This quiz is not open yet.')).toBeVisible();
	await expect(page.getByText('Mark these lessons as done to open it:')).toBeVisible();
	await expect(page.getByRole('link', { name: 'First steps', exact: true })).toHaveAttribute(
		'href',
		FIRST
	);
	await expect(page.getByRole('link', { name: 'Second steps', exact: true })).toHaveAttribute(
		'href',
		SECOND
	);
	await expect(page.getByRole('button', { name: 'Start the quiz' })).toHaveCount(0);
	const start = await post(page, `${QUIZ}?/start`, [], baseURL!);
	expect(start.status()).toBe(403);
	expect(await start.text()).toContain('Finish the lessons first');
});

// The form is the same HTML with JavaScript on, so this runs once, without.
test(
	'the value the form sends for a right answer differs per attempt and is not the quiz file id',
	{ tag: NO_JS_ONLY },
	async ({ page, baseURL }, testInfo) => {
		// An outside probe passed the final exam by choosing the option with value "a" everywhere.
		const authored = ['a', 'b', 'c', 'measure', 'time', 'freeze'];
		await signUp(page, 'Value Predictor', uniqueEmail(testInfo));
		await readModuleOne(page);
		await startQuiz(page, testInfo);
		const first = await choiceValues(page, QUIZ);
		const rightFirst = [
			first.get('q.warm-first')!.get('Warm the pot')!,
			first.get('q.brew-steps')!.get('Measure the leaves')!,
			first.get('q.brew-steps')!.get('Time the brew')!
		];
		for (const field of ['q.warm-first', 'q.brew-steps']) {
			const values = [...first.get(field)!.values()];
			expect(values.length, field).toBe(3);
			for (const value of values) {
				expect(authored, field).not.toContain(value);
				// Nothing in the page relates a value to its text but the control itself.
				expect(value, field).toMatch(/^[0-9a-f]{16}$/);
			}
		}

		// The authored id of the right option earns nothing; the page's value does.
		const guess = await post(
			page,
			`${QUIZ}?/save`,
			[
				['shown', 'warm-first'],
				['q.warm-first', 'a']
			],
			baseURL!
		);
		expect(guess.status()).toBe(400);
		await answerAndSubmit(page, testInfo, WRONG);
		await page
			.getByRole('navigation', { name: 'Breadcrumb' })
			.getByRole('link', { name: 'The basics quiz' })
			.click();
		await startQuiz(page, testInfo, 'Try again');
		const second = await choiceValues(page, QUIZ);
		const rightSecond = [
			second.get('q.warm-first')!.get('Warm the pot')!,
			second.get('q.brew-steps')!.get('Measure the leaves')!,
			second.get('q.brew-steps')!.get('Time the brew')!
		];
		for (const [i, value] of rightSecond.entries()) expect(value).not.toBe(rightFirst[i]);
		// Not one value of the first attempt is reused by the second.
		const all = (m: Map<string, Map<string, string>>) =>
			['q.warm-first', 'q.brew-steps'].flatMap((f) => [...m.get(f)!.values()]);
		expect(all(second).filter((v) => all(first).includes(v))).toEqual([]);
	}
);

// HTTP-level checks, run once.
test.describe('requests a browser would not make', { tag: JS_ONLY }, () => {
	test('another learner can neither open nor grade someone else’s attempt', async ({
		page,
		browser,
		baseURL
	}, testInfo) => {
		await signUp(page, 'Owner', uniqueEmail(testInfo, 'owner'));
		await readModuleOne(page);
		await startQuiz(page, testInfo);
		await answerAndSubmit(page, testInfo, WRONG);
		const ownerResult = new URL(page.url()).pathname;
		await page
			.getByRole('navigation', { name: 'Breadcrumb' })
			.getByRole('link', { name: 'The basics quiz' })
			.click();
		await startQuiz(page, testInfo, 'Try again');
		await choose(page, 1, WRONG[0]!);
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();

		const other = await browser.newContext();
		const intruder = await other.newPage();
		await signUp(intruder, 'Intruder', uniqueEmail(testInfo, 'intruder'));
		// Not enrolled: not found.
		const before = await intruder.goto(ownerResult);
		expect(before?.status()).toBe(404);
		await expect(intruder.getByText('Attempt not found')).toBeVisible();
		// Enrolled: still not found.
		await intruder.goto(COURSE);
		await intruder.getByRole('button', { name: 'Enrol and start' }).click();
		await expect(intruder).toHaveURL(urlOf(FIRST));
		const seen = await intruder.goto(ownerResult);
		expect(seen?.status()).toBe(404);
		await expect(intruder.getByText('Attempt not found')).toBeVisible();
		await expect(intruder.getByText('Chill the pot')).toHaveCount(0);
		const data = await intruder.request.get(`${ownerResult}/__data.json`);
		expect(await data.text()).not.toContain('Chill the pot');

		// Posting to the same quiz URL can only ever reach the intruder's own attempts.
		const attemptId = ownerResult.split('/').at(-1)!;
		for (const action of ['submit', 'save']) {
			const res = await post(
				intruder,
				`${QUIZ}?/${action}`,
				[['attempt', attemptId], ['attemptId', attemptId], ...ANY_FIELDS],
				baseURL!
			);
			expect(res.status(), action).toBe(409);
		}
		// Even with an attempt of their own, grading it leaves the owner's alone.
		await intruder.goto(FIRST);
		await intruder.getByRole('button', { name: 'Mark as done and continue' }).click();
		await expect(intruder).toHaveURL(urlOf(SECOND));
		await intruder.getByRole('button', { name: 'Mark as done and continue' }).click();
		await expect(intruder).toHaveURL(urlOf(QUIZ));
		await intruder.getByRole('button', { name: 'Start the quiz' }).click();
		await expect(intruder.getByText('Question 1 of 3')).toBeVisible();
		const own = await post(
			intruder,
			`${QUIZ}?/submit`,
			await formFields(intruder, QUIZ, RIGHT),
			baseURL!
		);
		expect(own.status()).toBe(303);
		await intruder.goto(own.headers()['location']!);
		await expect(intruder.getByRole('heading', { name: /^You passed/ })).toBeVisible();
		await other.close();

		// The owner's second attempt is still open with its saved answer, and not passed.
		await page.goto(`${QUIZ}?q=1`);
		await expect(page.getByText('Attempt 2.')).toBeVisible();
		await expect(page.getByText('Question 1 of 3')).toBeVisible();
		await expectChosen(page, 1, WRONG[0]!);
		await page.goto(ownerResult);
		await expect(page.getByRole('heading', { name: /^Not passed yet/ })).toBeVisible();
		await page.goto(COURSE);
		await expect(quizRow(page)).toContainText('Ready');
	});

	test('no answer key reaches the browser while an attempt is open', async ({ page }, testInfo) => {
		const scripts = new Set<string>();
		page.on('response', (r) => {
			if (new URL(r.url()).pathname.endsWith('.js')) scripts.add(r.url());
		});
		await signUp(page, 'Key Hunter', uniqueEmail(testInfo));
		await readModuleOne(page);
		await startQuiz(page, testInfo);
		await page.goto(DEEP);
		await page.getByRole('button', { name: 'Mark as done and continue' }).click();
		// Wait for the post to land before navigating away, or the navigation could cancel it.
		await expect(page).not.toHaveURL(urlOf(DEEP));
		await page.goto(ADVANCED_QUIZ);
		await page.getByRole('button', { name: 'Start the quiz' }).click();
		await expect(page).toHaveURL(urlOf(`${ADVANCED_QUIZ}?q=1`));
		await expect(page.getByText('Question 1 of 3')).toBeVisible();
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();
		for (const name of await page.evaluate(() =>
			performance.getEntriesByType('resource').map((e) => e.name)
		))
			if (new URL(name).pathname.endsWith('.js')) scripts.add(name);

		// Text that only the answer key holds: explanations, feedback, accepted typed answers.
		// (The correct options' own text is on screen as a choice, like every other option.)
		const secrets = [
			'The first-steps lesson says to warm the pot first.',
			'The second-steps lesson lists measuring the leaves',
			'Fresh water is the first thing the lesson asks for.',
			'A cold pot cools the water too quickly.',
			'heating them spoils the taste',
			'Tea is brewed with hot water.',
			'The first-steps lesson opens with fresh water',
			'steeping',
			'infusion',
			'Green tea prefers water around 80',
			'Boil, pour, then strain.',
			'The deep-dive lesson',
			'"correct":true',
			'"accept"'
		];
		// In page data as well: any key named like the answer key, quoted (JSON) or not (inline).
		const dataKeys = /["']?\b(correct|accept|answer|explanation|feedback|tolerance)["']?\s*:/;

		const pages: [string, string][] = [
			[QUIZ, 'Chill the pot'],
			[`${QUIZ}?q=2`, 'Freeze the water'],
			[ADVANCED_QUIZ, 'Strain the tea'],
			[`${ADVANCED_QUIZ}?q=3`, 'Strain the tea']
		];
		for (const [url, shown] of pages) {
			const html = await page.request.get(url);
			expect(html.status(), url).toBe(200);
			const text = await html.text();
			// The attempt really is in this response...
			expect(text, url).toContain(shown);
			for (const m of text.matchAll(/\/_app\/immutable\/[\w./-]+\.js/g))
				scripts.add(new URL(m[0], page.url()).href);
			const path = new URL(url, page.url());
			const dataUrl = `${path.pathname}/__data.json${path.search}`;
			const data = await page.request.get(dataUrl);
			expect(data.status(), dataUrl).toBe(200);
			const json = await data.text();
			expect(json, dataUrl).toContain(shown);
			// ...and nothing of the key is.
			for (const [where, body] of [
				[url, text],
				[dataUrl, json]
			] as const) {
				for (const secret of secrets)
					expect(body, `${where} holds ${secret}`).not.toContain(secret);
				expect(body, where).not.toMatch(dataKeys);
			}
		}

		expect(scripts.size).toBeGreaterThan(3);
		for (const url of scripts) {
			const res = await page.request.get(url);
			expect(res.status(), url).toBe(200);
			const body = await res.text();
			for (const secret of secrets) expect(body, `${url} holds ${secret}`).not.toContain(secret);
		}

		// The course's own files are not served, only its images.
		const svg = await page.request.get(`${COURSE}/media/01-basics/square.svg`);
		expect(svg.status()).toBe(200);
		for (const file of [
			'01-basics/quiz.yaml',
			'01-basics/01-first-steps.md',
			'02-advanced/quiz.yaml',
			'course.yaml',
			'final-exam.yaml',
			'01-basics/..%2Fcourse.yaml',
			'..%2F..%2Ffixture-course%2F01-basics%2Fquiz.yaml',
			'01-basics/quiz.yaml%00.svg'
		]) {
			const res = await page.request.get(`${COURSE}/media/${file}`);
			expect(res.status(), file).toBe(404);
			expect(await res.text(), file).not.toContain('correct');
		}
	});

	test('extra fields claiming a score do not pass a wrong attempt', async ({
		page,
		baseURL
	}, testInfo) => {
		await signUp(page, 'Score Forger', uniqueEmail(testInfo));
		await readModuleOne(page);
		await startQuiz(page, testInfo);
		const res = await post(
			page,
			`${QUIZ}?/submit`,
			[
				...(await formFields(page, QUIZ, WRONG)),
				['score', '100'],
				['percent', '100'],
				['passed', 'true'],
				['correct', 'true'],
				['q.warm-first.correct', 'true']
			],
			baseURL!
		);
		expect(res.status()).toBe(303);
		expect(res.headers()['location']).toMatch(RESULT);
		await page.goto(res.headers()['location']!);
		await expect(page.getByRole('heading', { name: /^Not passed yet/ })).toBeVisible();
		await expect(page.getByRole('status')).toContainText('You scored 0%');
		await page.goto(COURSE);
		await expect(
			page.getByText('2 of 3 lessons done · 0 of 2 quizzes passed · final exam not passed yet.')
		).toBeVisible();
		await expect(quizRow(page)).toContainText('Ready');
	});

	test('malformed answers get a 400 with a message and leave the attempt open', async ({
		page,
		baseURL
	}, testInfo) => {
		await signUp(page, 'Form Mangler', uniqueEmail(testInfo));
		await readModuleOne(page);
		await startQuiz(page, testInfo);
		await choose(page, 1, ['Chill the pot']);
		await page.getByRole('button', { name: 'Save and next' }).click();
		await expect(page.getByText('Question 2 of 3')).toBeVisible();

		const cases: [string, [string, string][], string][] = [
			[
				'an option of another question',
				[
					['shown', 'warm-first'],
					['q.warm-first', 'measure']
				],
				'That choice is not an option of this question.'
			],
			[
				// The quiz file's id of the right option: the page never uses it.
				'the authored id of the right option',
				[
					['shown', 'warm-first'],
					['q.warm-first', 'a']
				],
				'That choice is not an option of this question.'
			],
			[
				'two values for a single choice',
				[
					['shown', 'warm-first'],
					['q.warm-first', 'a'],
					['q.warm-first', 'b']
				],
				'Give one answer only.'
			],
			[
				'10,000 values for a checkbox',
				[
					['shown', 'brew-steps'],
					...Array.from({ length: 10_000 }, (): [string, string] => ['q.brew-steps', 'measure'])
				],
				'There are more choices than this question has options.'
			],
			[
				'a checkbox value from another question',
				[
					['shown', 'brew-steps'],
					['q.brew-steps', 'a']
				],
				'One of the options chosen is not part of this question.'
			],
			[
				'a true/false answer that is neither',
				[
					['shown', 'fresh-water'],
					['q.fresh-water', 'maybe']
				],
				'Answer true or false.'
			],
			[
				'a question that is not in the attempt',
				[
					['shown', 'warm-first'],
					['q.warm-first', 'a'],
					['shown', 'green-temperature'],
					['q.green-temperature', '80']
				],
				'The form contains a question that is not part of your attempt.'
			]
		];
		for (const action of ['submit', 'save']) {
			for (const [label, fields, message] of cases) {
				const started = Date.now();
				const res = await post(page, `${QUIZ}?/${action}`, fields, baseURL!);
				expect(res.status(), `${action}: ${label}`).toBe(400);
				expect(await res.text(), `${action}: ${label}`).toContain(message);
				expect(Date.now() - started, `${action}: ${label}`).toBeLessThan(10_000);
			}
		}
		// A file where an answer belongs.
		for (const action of ['submit', 'save']) {
			const res = await page.request.post(`${QUIZ}?/${action}`, {
				headers: { origin: baseURL!, accept: 'text/html' },
				multipart: {
					shown: 'warm-first',
					'q.warm-first': { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') }
				},
				maxRedirects: 0
			});
			expect(res.status(), `${action}: a file`).toBe(400);
			const text = await res.text();
			expect(text).toMatch(/as text/);
		}

		// Nothing was graded, and the answer saved before is untouched.
		await expectAttemptStillOpen(page, testInfo);
		await expectChosen(page, 1, ['Chill the pot']);
		// The same form, well formed, is still accepted.
		const ok = await post(
			page,
			`${QUIZ}?/save`,
			(await formFields(page, QUIZ, [['Warm the pot']])).slice(0, 2),
			baseURL!
		);
		expect(ok.status()).toBe(303);
		await page.reload();
		await expectChosen(page, 1, ['Warm the pot']);
	});

	test('a cross-site post to submit is refused', async ({ page, baseURL }, testInfo) => {
		await signUp(page, 'Cross Site', uniqueEmail(testInfo));
		await readModuleOne(page);
		await startQuiz(page, testInfo);
		const right = await formFields(page, QUIZ, RIGHT);
		for (const action of ['submit', 'save', 'start']) {
			const res = await post(page, `${QUIZ}?/${action}`, right, 'https://evil.example');
			expect(res.status(), action).toBe(403);
		}
		await expectAttemptStillOpen(page, testInfo);
		// The same post from the site itself goes through, so the 403 was the origin's doing.
		const ok = await post(page, `${QUIZ}?/submit`, right, baseURL!);
		expect(ok.status()).toBe(303);
		expect(ok.headers()['location']).toMatch(RESULT);
	});
});
