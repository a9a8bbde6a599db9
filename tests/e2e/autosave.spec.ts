// With JavaScript every answer is saved as it changes, so a reload or a dropped connection
// loses nothing even before "Save and next".
import { expect, test } from '@playwright/test';
import { JS_ONLY, signUp, uniqueEmail } from './helpers';

const COURSE = '/courses/fixture-course';

// Saving on change needs JavaScript; without it each page submit saves (quiz.spec.ts).
test('answers are saved as they change', { tag: JS_ONLY }, async ({ page }, testInfo) => {
	await signUp(page, 'Autosave', uniqueEmail(testInfo));
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	// Both module-1 lessons, then its quiz.
	await expect(page).toHaveURL(new RegExp(`${COURSE}/basics/first-steps$`));
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/basics/second-steps$`));
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/basics/quiz$`));
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await page
		.getByRole('group', { name: /^Question 1\b/ })
		.getByLabel('Chill the pot')
		.check();
	await expect(page.getByText('All answers saved.')).toBeVisible();
	await page.reload();
	await expect(
		page.getByRole('group', { name: /^Question 1\b/ }).getByLabel('Chill the pot')
	).toBeChecked();

	// Typed answers are saved shortly after typing stops.
	await page
		.getByRole('group', { name: /^Question 1\b/ })
		.getByLabel('Warm the pot')
		.check();
	await page.getByRole('button', { name: 'Save and next' }).click();
	await expect(page.getByText('Question 2 of 3')).toBeVisible();
	await page.getByRole('button', { name: 'Save and next' }).click();
	await expect(page.getByText('Question 3 of 3')).toBeVisible();
	await page
		.getByRole('group', { name: /^Question 3\b/ })
		.getByLabel('True')
		.check();
	await page.getByRole('button', { name: 'Submit answers for grading' }).click();
	// Question 2 was left blank: the learner confirms, and nothing saved is lost on the way.
	await expect(page.getByRole('alert')).toContainText('You have not answered question 2.');
	await page.getByRole('button', { name: 'Submit anyway' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^You passed/);
	// Module 2: its lesson, then a typed answer.
	await page.goto(`${COURSE}/advanced/deep-dive`);
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/advanced/quiz$`));
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await page
		.getByRole('group', { name: /^Question 1\b/ })
		.getByLabel('Your answer')
		.pressSequentially('79');
	await expect(page.getByText('All answers saved.')).toBeVisible();
	await page.reload();
	await expect(
		page.getByRole('group', { name: /^Question 1\b/ }).getByLabel('Your answer')
	).toHaveValue('79');
});
