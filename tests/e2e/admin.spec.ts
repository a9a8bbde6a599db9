// The admin pages and CLI against the running production build; learners are kept out.
import { expect, test } from '@playwright/test';
import { adminCli, expectNoAxeViolations, logIn, PASSWORD, signUp, uniqueEmail } from './helpers';

test('a learner cannot reach admin pages or actions', async ({ page }, testInfo) => {
	await signUp(page, 'Curious Learner', uniqueEmail(testInfo));
	const res = await page.goto('/admin/users');
	expect(res?.status()).toBe(404);
	// Percent-encoded paths reach the same route and get the same answer.
	for (const path of [
		'/%61dmin/users',
		'/%61dmin/users/__data.json',
		'/adm%69n/regrade',
		'/%61dmin'
	]) {
		const encoded = await page.request.get(path);
		expect(encoded.status(), path).toBe(404);
		expect(await encoded.text(), path).not.toContain('@example.com');
	}
	const post = await page.request.post('/admin/users?/update', {
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' },
		form: {
			id: '00000000-0000-0000-0000-000000000000',
			role: 'admin',
			status: 'active',
			timeMultiplier: '4'
		}
	});
	expect(post.status()).toBe(404);
	await page.goto('/account');
	await expect(page.getByText('Role: learner')).toBeVisible();
});

test('the admin CLI makes an admin who manages users and sees the regrade preview', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(90_000); // each CLI call starts a Node process
	const adminEmail = uniqueEmail(testInfo, 'admin');
	const made = adminCli(
		['create-admin', '--email', adminEmail, '--name', 'Head Admin'],
		`${PASSWORD}\n`
	);
	expect(made.stderr).not.toMatch(/error/i);
	expect(made.stdout).toContain(`Created admin ${adminEmail}`);
	const weak = adminCli(
		['create-admin', '--email', uniqueEmail(testInfo, 'weak'), '--name', 'W'],
		'password\n'
	);
	expect(weak.status).toBe(1);
	expect(weak.stderr).toContain('too common');

	const learnerEmail = uniqueEmail(testInfo, 'athlete');
	const other = await browser.newContext({ javaScriptEnabled: testInfo.project.name === 'js' });
	const learnerPage = await other.newPage();
	await signUp(learnerPage, 'Future Coach', learnerEmail);

	await logIn(page, adminEmail);
	await expect(page).toHaveURL(/\/dashboard$/);
	await page.getByRole('link', { name: 'Admin' }).click();
	await page.getByRole('link', { name: 'Users' }).click();
	const row = page.getByRole('listitem').filter({ hasText: learnerEmail });
	await row.getByLabel('Role').selectOption('coach');
	await row.getByLabel('Extra time').fill('1.5');
	await row.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');
	if (testInfo.project.name === 'js') await expectNoAxeViolations(page);

	// The role change shows on the learner's next request.
	await learnerPage.goto('/account');
	await expect(learnerPage.getByText('Role: coach')).toBeVisible();

	const bad = page.getByRole('listitem').filter({ hasText: learnerEmail });
	await bad.getByLabel('Extra time').fill('ten');
	await bad.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Enter a number such as 1.5.')).toBeVisible();

	const listed = adminCli(['list-users']);
	expect(listed.stdout).toMatch(new RegExp(`${learnerEmail}\\tcoach\\tactive`));

	await page.goto('/admin/regrade');
	await page.getByRole('link', { name: /Hip flexor.*Anatomy and function quiz/ }).click();
	await expect(page.getByText('No grade would change')).toBeVisible();
	await other.close();
});
