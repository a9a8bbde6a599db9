// Working through the fixture course (tests/fixtures/courses/fixture-course) as a learner would,
// with the keyboard in the js project and plain form posts without JavaScript.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';

export const COURSE = '/courses/fixture-course';
export const RESULT = new RegExp(`${COURSE}/attempts/[0-9a-f-]{36}(\\?earned=[0-9a-f-]{36})?$`);
export const isJs = (t: TestInfo) => t.project.name === 'js';
export const question = (page: Page, n: number) =>
	page.getByRole('group', { name: new RegExp(`^Question ${n}\\b`) });

/** Moves to question n: in the paged (js) form with "Save and next", else it is already shown. */
export async function next(page: Page, testInfo: TestInfo, n: number, count: number) {
	if (!isJs(testInfo)) return;
	await page.getByRole('button', { name: 'Save and next' }).press('Enter');
	await expect(page.getByText(`Question ${n} of ${count}`)).toBeVisible();
	// Focus follows to the new question, for keyboard and screen-reader users.
	await expect(question(page, n)).toBeFocused();
}

export async function submit(page: Page, testInfo: TestInfo) {
	const button = page.getByRole('button', { name: 'Submit answers for grading' });
	if (isJs(testInfo)) await button.press('Enter');
	else await button.click();
	await expect(page).toHaveURL(RESULT);
}

/** Picks an option of a <select> by keyboard in the js project (focus, then type its label). */
export async function select(
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

/** Answers one item of a matching question (a radio group per item): by keyboard with JS. */
export async function matchItem(
	page: Page,
	testInfo: TestInfo,
	match: ReturnType<Page['getByRole']>,
	item: string,
	answer: string
) {
	const choice = match.getByRole('group', { name: item }).getByLabel(answer);
	// The whole answer is on screen, never cut off as inside a select on a phone.
	const text = match.getByRole('group', { name: item }).getByText(answer, { exact: true });
	const box = (await text.boundingBox())!;
	expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
	expect(await text.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
	if (isJs(testInfo)) {
		await choice.focus();
		await page.keyboard.press('Space');
	} else await choice.check();
	await expect(choice).toBeChecked();
}

export async function markLessons(page: Page, count: number) {
	for (let i = 0; i < count; i++) {
		const before = page.url();
		await page.getByRole('button', { name: 'Mark as done and continue' }).click();
		await expect(page).not.toHaveURL(before);
	}
}

/** From enrolment to the submitted final exam, every answer right; ends on the exam's result. */
export async function completeFixtureCourse(page: Page, testInfo: TestInfo) {
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
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^You passed/);

	// Module 2: one lesson, then numeric, text and ordering questions. No dead end: the result
	// offers the next module first, above the review.
	await followNextStep(page, 'Continue to module 2: Going further');
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
	await followNextStep(page, 'Go to the final exam');
	await expect(page.getByText('Time limit: 5 minutes')).toBeVisible();
	await page.getByRole('button', { name: 'Start the final exam' }).click();
	// Without JavaScript too, the deadline is in the learner's zone (UTC until one is set).
	await expect(page.getByRole('timer')).toContainText(
		/Time limit: submit by \d\d:\d\d \(\w+ time\)/
	);
	const match = question(page, 1);
	await matchItem(page, testInfo, match, 'Black tea', 'Just off the boil');
	await matchItem(page, testInfo, match, 'Green tea', 'Around 80 °C');
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	await next(page, testInfo, 2, 3);
	await question(page, 2).getByLabel('Your answer').fill('1');
	await next(page, testInfo, 3, 3);
	await question(page, 3).getByLabel('About four minutes').check();
	await submit(page, testInfo);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^You passed/);
	await expect(nextStep(page).getByRole('link', { name: 'You finished the course' })).toBeVisible();
}

/** The way on that a result page offers at its top, above the per-question review. */
export const nextStep = (page: Page) => page.locator('[data-next-step]');

/** Checks the next step sits above the review, then follows the link named `label` in it. */
export async function followNextStep(page: Page, label: string) {
	const box = await nextStep(page).boundingBox();
	const review = await page.getByText('Your answers, question by question').boundingBox();
	expect(box && review && box.y < review.y).toBe(true);
	await nextStep(page).getByRole('link', { name: label }).click();
}
