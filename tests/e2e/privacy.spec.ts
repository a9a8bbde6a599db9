// A learner downloads everything stored about them from the account page, then removes the
// account: a wrong password is refused next to the field, the right one logs them out for good.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, logIn, PASSWORD, signUp, uniqueEmail } from './helpers';
import { isJs } from './fixture-course';

test('download my data, then remove my account', async ({ page }, testInfo) => {
	// axe and a dozen page loads on a loaded 2-core machine.
	test.setTimeout(150_000);
	const email = uniqueEmail(testInfo, 'leaver');
	await signUp(page, 'Lea Leaver', email);
	// Something to find in the export: an enrolment and a lesson done.
	await page.goto('/courses/fixture-course');
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expect(page).toHaveURL(/second-steps/);

	await page.goto('/account');
	await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download my data' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^stride-academy-my-data-\d{4}-\d\d-\d\d\.json$/);
	const data = JSON.parse(
		await new Promise<string>((resolve, reject) => {
			void download.createReadStream().then((stream) => {
				let text = '';
				stream.on('data', (d: Buffer) => (text += d.toString()));
				stream.on('end', () => resolve(text));
				stream.on('error', reject);
			}, reject);
		})
	) as { profile: { name: string; email: string }; lessonsDone: { lessonId: string }[] };
	expect(data.profile).toMatchObject({ name: 'Lea Leaver', email });
	expect(data.lessonsDone.map((l) => l.lessonId)).toEqual(['first-steps']);

	// Without the tick and with a wrong password: refused, next to the fields.
	const form = page.getByRole('form', { name: 'Remove your account' });
	await form.getByLabel('Your password').fill('not-my-password');
	await form.getByRole('button', { name: 'Remove my account' }).click();
	await expect(form.getByText('Tick the box to confirm')).toBeVisible();
	await form.getByLabel('Your password').fill('not-my-password');
	await form.getByLabel('I understand that my account is removed for good.').check();
	await form.getByRole('button', { name: 'Remove my account' }).click();
	await expect(form.getByText('Your password is not correct.')).toBeVisible();

	await form.getByLabel('Your password').fill(PASSWORD);
	await form.getByLabel('I understand that my account is removed for good.').check();
	await form.getByRole('button', { name: 'Remove my account' }).click();
	await expect(page).toHaveURL(/\/account-removed$/);
	await expect(page.getByRole('heading', { name: 'Your account was removed' })).toBeVisible();

	// Logged out, and the account is gone.
	await page.goto('/account');
	await expect(page).toHaveURL(/\/login/);
	await logIn(page, email);
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page).toHaveURL(/\/login/);
});
