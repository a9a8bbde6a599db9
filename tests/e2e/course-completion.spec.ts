// The fixture course from enrolment to completion: every question type answered through the
// real form (ordering by select and matching by radio groups, no drag and drop), the timed final exam, and the
// course marked complete. In the js project the quizzes are answered with the keyboard only.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, JS_ONLY, signUp, uniqueEmail } from './helpers';
import {
	completeFixtureCourse,
	COURSE,
	followNextStep,
	isJs,
	markLessons,
	next,
	question,
	submit
} from './fixture-course';

test('work through the whole fixture course and complete it', async ({ page }, testInfo) => {
	test.setTimeout(150_000);
	await signUp(page, 'Finisher', uniqueEmail(testInfo));
	await completeFixtureCourse(page, testInfo);
	// The final's result leads to the completion page: result, time, what was learned, certificate.
	await followNextStep(page, 'You finished the course');
	await expect(page).toHaveURL(new RegExp(`${COURSE}/complete$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'You finished Brewing a pot of tea'
	);
	await expect(page.getByText('Final exam: 100%')).toBeVisible();
	for (const title of ['The basics', 'Going further'])
		await expect(page.getByText(title, { exact: true })).toBeVisible();
	await expect(page.getByText('From enrolling to finishing')).toBeVisible();
	await expect(page.getByText('In quizzes and the final exam')).toBeVisible();
	const pdf = page.getByRole('link', { name: 'Download the PDF' });
	expect((await page.request.get((await pdf.getAttribute('href'))!)).status()).toBe(200);
	await expect(page.getByRole('heading', { name: 'What next' })).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(page);

	await page.goto(COURSE);
	await expect(page.getByRole('status')).toContainText('You have completed this course.');
	await expect(page.getByText('100% done')).toBeVisible();
	await page.goto('/dashboard');
	await expect(page.getByText('Completed.')).toBeVisible();
	await page.getByRole('link', { name: 'Your results and certificate' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/complete$`));
});

// An HTTP-level check, run once.
test(
	'a matching question posted with pair ids instead of its choices gets no credit',
	{ tag: JS_ONLY },
	async ({ page }, testInfo) => {
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
		await page.getByRole('button', { name: 'Start the final exam' }).click();
		// The page names the matching items and answers by per-attempt ids, never by pair id.
		const item = question(page, 1).getByRole('group', { name: 'Black tea' });
		await expect(item).toBeVisible();
		const radios = item.getByRole('radio');
		const values = await radios.evaluateAll((r) => r.map((x) => (x as HTMLInputElement).value));
		expect(values).toHaveLength(2);
		for (const value of values) expect(value).toMatch(/^[0-9a-f]{16}$/);
		const fieldName = (await radios.first().getAttribute('name'))!;
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
			for (const radio of await question(page, 1)
				.getByRole('group', { name: label })
				.getByRole('radio')
				.all())
				await expect(radio).not.toBeChecked();
	}
);
