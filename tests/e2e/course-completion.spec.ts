// The fixture course from enrolment to completion: every question type answered through the
// real form (ordering and matching by select, no drag and drop), the timed final exam, and the
// course marked complete. In the js project the quizzes are answered with the keyboard only.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectNoAxeViolations, signUp, uniqueEmail } from './helpers';

const COURSE = '/courses/fixture-course';
const RESULT = new RegExp(`${COURSE}/attempts/[0-9a-f-]{36}$`);
const isJs = (t: TestInfo) => t.project.name === 'js';
const question = (page: Page, n: number) =>
	page.getByRole('group', { name: new RegExp(`^Question ${n}\\b`) });

/** Moves to question n: in the paged (js) form with "Save and next", else it is already shown. */
async function next(page: Page, testInfo: TestInfo, n: number, count: number) {
	if (!isJs(testInfo)) return;
	await page.getByRole('button', { name: 'Save and next' }).press('Enter');
	await expect(page.getByText(`Question ${n} of ${count}`)).toBeVisible();
	// Focus follows to the new question, for keyboard and screen-reader users.
	await expect(question(page, n)).toBeFocused();
}

async function submit(page: Page, testInfo: TestInfo) {
	const button = page.getByRole('button', { name: 'Submit answers for grading' });
	if (isJs(testInfo)) await button.press('Enter');
	else await button.click();
	await expect(page).toHaveURL(RESULT);
}

/** Picks an option of a <select> by keyboard in the js project (focus, then type its label). */
async function select(
	page: Page,
	testInfo: TestInfo,
	field: ReturnType<Page['getByLabel']>,
	label: string
) {
	if (isJs(testInfo)) {
		await field.focus();
		await page.keyboard.type(label);
		await expect(field.locator('option:checked')).toHaveText(label);
	} else {
		await field.selectOption({ label });
	}
}

async function markLessons(page: Page, count: number) {
	for (let i = 0; i < count; i++) {
		const before = page.url();
		await page.getByRole('button', { name: 'Mark as done and continue' }).click();
		await expect(page).not.toHaveURL(before);
	}
}

test('work through the whole fixture course and complete it', async ({ page }, testInfo) => {
	test.setTimeout(90_000);
	await signUp(page, 'Finisher', uniqueEmail(testInfo));
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/basics/first-steps$`));
	await markLessons(page, 2);

	// Module 1 quiz: single, multiple, true/false.
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await question(page, 1).getByLabel('Warm the pot').check();
	await next(page, testInfo, 2, 3);
	await question(page, 2).getByLabel('Measure the leaves').check();
	await question(page, 2).getByLabel('Time the brew').check();
	await next(page, testInfo, 3, 3);
	await question(page, 3).getByLabel('True').check();
	await submit(page, testInfo);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Attempt 1: passed');

	// Module 2: one lesson, then numeric, text and ordering questions.
	await page.goto(COURSE);
	await page.getByRole('link', { name: 'Continue' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/advanced/deep-dive$`));
	await markLessons(page, 1);
	await expect(page).toHaveURL(new RegExp(`${COURSE}/advanced/quiz$`));
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	await question(page, 1).getByLabel('Your answer').fill('80,5');
	await next(page, testInfo, 2, 3);
	await question(page, 2).getByLabel('Your answer').fill('  Infusion ');
	await next(page, testInfo, 3, 3);
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	const order = question(page, 3);
	await select(page, testInfo, order.getByLabel('Position of: Boil the water'), '1');
	await select(page, testInfo, order.getByLabel('Position of: Pour it over the leaves'), '2');
	await select(page, testInfo, order.getByLabel('Position of: Strain the tea'), '3');
	await submit(page, testInfo);
	await expect(page.getByRole('status')).toContainText('You scored 100%');
	if (isJs(testInfo)) await expectNoAxeViolations(page);

	// Every module done: the timed final exam with a matching question.
	await page.goto(COURSE);
	await expect(page.getByText('Ready')).toBeVisible();
	await page.getByRole('link', { name: 'Final exam' }).click();
	await expect(page.getByText('Time limit: 5 minutes')).toBeVisible();
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await expect(page.getByRole('timer')).toContainText('Time limit: submit by');
	const match = question(page, 1);
	await select(page, testInfo, match.getByLabel('Black tea'), 'Just off the boil');
	await select(page, testInfo, match.getByLabel('Green tea'), 'Around 80 °C');
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	await next(page, testInfo, 2, 3);
	await question(page, 2).getByLabel('Your answer').fill('1');
	await next(page, testInfo, 3, 3);
	await question(page, 3).getByLabel('About four minutes').check();
	await submit(page, testInfo);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Attempt 1: passed');

	await page.goto(COURSE);
	await expect(page.getByRole('status')).toHaveText('You have completed this course.');
	await expect(page.getByText('100% done')).toBeVisible();
	await page.goto('/dashboard');
	await expect(page.getByText('Completed.')).toBeVisible();
});

test('a matching question posted with pair ids instead of its choices gets no credit', async ({
	page
}, testInfo) => {
	test.skip(!isJs(testInfo), 'an HTTP-level check, run once');
	test.setTimeout(60_000);
	await signUp(page, 'Key Guesser', uniqueEmail(testInfo));
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/basics/first-steps$`));
	await markLessons(page, 2);
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	for (const [n, label] of [
		[1, 'Warm the pot'],
		[2, 'Measure the leaves'],
		[2, 'Time the brew'],
		[3, 'True']
	] as const) {
		if (n > 1 && label !== 'Time the brew') await next(page, testInfo, n, 3);
		await question(page, n).getByLabel(label).check();
	}
	await submit(page, testInfo);
	await page.goto(COURSE);
	await page.getByRole('link', { name: 'Continue' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/advanced/deep-dive$`));
	await markLessons(page, 1);
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await question(page, 1).getByLabel('Your answer').fill('80');
	await next(page, testInfo, 2, 3);
	await question(page, 2).getByLabel('Your answer').fill('infusion');
	await next(page, testInfo, 3, 3);
	for (const [label, n] of [
		['Boil the water', '1'],
		['Pour it over the leaves', '2'],
		['Strain the tea', '3']
	] as const)
		await question(page, 3).getByLabel(`Position of: ${label}`).selectOption(n);
	await submit(page, testInfo);

	await page.goto(`${COURSE}/exam`);
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	// The page names the matching items and answers by per-attempt ids, never by pair id.
	await expect(question(page, 1).getByLabel('Black tea')).toBeVisible();
	const select = question(page, 1).getByLabel('Black tea');
	const values = await select
		.locator('option')
		.evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
	expect(values[0]).toBe('');
	expect(values.slice(1)).toHaveLength(2);
	for (const value of values.slice(1)) expect(value).toMatch(/^[0-9a-f]{16}$/);
	const fieldName = (await select.getAttribute('name'))!;
	expect(fieldName).not.toContain('black');
	const origin = new URL(page.url()).origin;
	const post = (form: Record<string, string>) =>
		page.request.post(`${COURSE}/exam?/save`, {
			headers: { origin, accept: 'text/html' },
			form: { shown: 'tea-temperatures', ...form },
			maxRedirects: 0
		});
	// Pair ids as the chosen answers, under the page's own field name: refused.
	const asValues = await post({ [fieldName]: 'black' });
	expect(asValues.status()).toBe(400);
	expect(await asValues.text()).toContain(
		'One of the chosen matches is not part of this question.'
	);
	// Pair ids as field names and answers: not fields of this attempt, so nothing is recorded.
	const asNames = await post({
		'q.tea-temperatures.black': 'black',
		'q.tea-temperatures.green': 'green'
	});
	expect(asNames.status()).toBe(303);
	await page.goto(`${COURSE}/exam`);
	for (const label of ['Black tea', 'Green tea'])
		await expect(question(page, 1).getByLabel(label)).toHaveValue('');
});
