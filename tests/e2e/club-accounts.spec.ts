// A club's first week, end to end with JavaScript on and off: a forgotten password recovered by
// mail (the link read from the outbox, as an admin reads it) and by a link an admin makes (page
// and CLI); an athlete without an account joining from an invitation link and from an email.
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import {
	openSection,
	adminCli,
	createAdmin,
	expectNoAxeViolations,
	JS_ONLY,
	logIn,
	logOut,
	PASSWORD,
	signUp,
	uniqueEmail
} from './helpers';

const NEW_PASSWORD = 'copper-lantern-58';

/** The text of the newest mail to `to` with `subject`, read from /admin/outbox (waits for it). */
async function readMail(admin: Page, to: string, subject: string): Promise<string> {
	const mail = admin
		.getByRole('listitem')
		.filter({ hasText: `to ${to}` })
		.filter({ hasText: subject })
		.first();
	await expect(async () => {
		await admin.goto('/admin/outbox');
		await expect(mail).toBeVisible({ timeout: 1000 });
	}).toPass({ timeout: 15_000 });
	return (await mail.locator('pre').textContent()) ?? '';
}

const linkIn = (text: string, path: RegExp) =>
	new RegExp(`http://localhost:\\d+${path.source}`).exec(text)?.[0];

async function browserPage(browser: Browser, testInfo: TestInfo) {
	const context = await browser.newContext({ javaScriptEnabled: testInfo.project.name === 'js' });
	return context.newPage();
}

async function adminPage(browser: Browser, testInfo: TestInfo, name = 'Club Secretary') {
	const email = uniqueEmail(testInfo, 'admin');
	createAdmin(email, name);
	const page = await browserPage(browser, testInfo);
	await logIn(page, email);
	await expect(page).toHaveURL(/\/dashboard$/);
	return page;
}

async function setNewPassword(page: Page, link: string, email: string) {
	await page.goto(link);
	await expect(page.getByText(`For the account ${email}`)).toBeVisible();
	await page.getByLabel('New password').fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page).toHaveURL(/\/login\?reset=1$/);
	await expect(page.getByRole('status')).toContainText('Your password was changed');
}

test('a forgotten password is recovered by mail', async ({ page, browser }, testInfo) => {
	test.setTimeout(120_000);
	const js = testInfo.project.name === 'js';
	const email = uniqueEmail(testInfo, 'forgetful');
	// The runner is still logged in on another browser (a phone, say).
	const phone = await browserPage(browser, testInfo);
	await signUp(phone, 'Forgetful Runner', email);
	const admin = await adminPage(browser, testInfo);

	await page.goto('/login');
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expect(page).toHaveURL(/\/reset-password$/);
	if (js) await expectNoAxeViolations(page);
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Send me a reset link' }).click();
	await expect(page.getByRole('status')).toContainText('If an account uses that address');

	const body = await readMail(admin, email, 'Reset your password on Stride Academy');
	const link = linkIn(body, /\/reset-password\/[a-z2-7]{40}/);
	expect(link).toBeTruthy();
	await setNewPassword(page, link!, email);
	if (js) await expectNoAxeViolations(page);
	await logIn(page, email, NEW_PASSWORD, false);
	await expect(page).toHaveURL(/\/dashboard$/);

	// The other browser was logged out; the link is dead; a notice went to the address.
	await phone.goto('/dashboard');
	await expect(phone).toHaveURL(/\/login\?redirectTo=%2Fdashboard$/);
	await page.goto(link!);
	await expect(page.getByRole('alert')).toContainText('expired or has already been used');
	await readMail(admin, email, 'Your Stride Academy password was changed');
	await logIn(phone, email, PASSWORD, false);
	await expect(phone.getByRole('alert')).toContainText('do not match');
});

test('an admin makes a reset link by hand, on the users page and with the CLI', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	const email = uniqueEmail(testInfo, 'no-mail');
	await signUp(page, 'Mailless Runner', email);
	await logOut(page);
	const admin = await adminPage(browser, testInfo);

	await admin.goto('/admin/users');
	const card = admin.getByRole('listitem').filter({ hasText: email });
	await card.getByRole('button', { name: 'Make a password reset link' }).click();
	const shown = card.getByRole('status');
	await expect(shown).toContainText(`Reset link for ${email}, shown only now`);
	const link = (await shown.locator('code').textContent())!.trim();
	expect(link).toMatch(/\/reset-password\/[a-z2-7]{40}$/);
	if (testInfo.project.name === 'js') await expectNoAxeViolations(admin);
	// Shown once: a fresh load of the page does not have it.
	await admin.goto('/admin/users');
	await expect(admin.getByText(link)).toHaveCount(0);
	await setNewPassword(page, link, email);
	await logIn(page, email, NEW_PASSWORD, false);
	await expect(page).toHaveURL(/\/dashboard$/);
	await logOut(page);

	const cli = adminCli(['reset-link', '--email', email]);
	expect(cli.status, cli.stderr).toBe(0);
	const cliLink = linkIn(cli.stdout, /\/reset-password\/[a-z2-7]{40}/);
	expect(cliLink).toBeTruthy();
	// The CLI names the site by its configured address; this test's server is on its own port.
	await page.goto(new URL(cliLink!).pathname);
	await page.getByLabel('New password').fill('violet-harbour-33');
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await logIn(page, email, 'violet-harbour-33', false);
	await expect(page).toHaveURL(/\/dashboard$/);
});

async function coachWithTeam(browser: Browser, testInfo: TestInfo) {
	const coach = await adminPage(browser, testInfo, 'Coach Carter');
	await coach.goto('/coach');
	const teamName = `Harriers ${testInfo.project.name} ${Math.random().toString(36).slice(2, 6)}`;
	await coach.getByLabel('Team name').fill(teamName);
	await coach.getByRole('button', { name: 'Create team' }).click();
	await expect(coach).toHaveURL(/\/coach\/teams\/[0-9a-f-]+$/);
	return { coach, teamName };
}

test('an athlete without an account joins from an invitation link', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	const js = testInfo.project.name === 'js';
	const { coach, teamName } = await coachWithTeam(browser, testInfo);
	await openSection(coach, 'Invitations');
	await coach.getByRole('button', { name: 'Create invitation link' }).click();
	const link = (await coach.locator('code.link').first().textContent())!.trim();
	const path = new URL(link).pathname;

	await page.goto(link);
	await expect(
		page.getByText(`Coach Carter invites you to join the team ${teamName}`)
	).toBeVisible();
	if (js) await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Create an account' }).click();
	await expect(page).toHaveURL(`/signup?redirectTo=${encodeURIComponent(path)}`);
	const newcomer = `Newcomer ${testInfo.project.name} ${Math.random().toString(36).slice(2, 6)}`;
	await page.getByLabel('Name').fill(newcomer);
	await page.getByLabel('Email').fill(uniqueEmail(testInfo, 'newcomer'));
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(path);
	await page.getByRole('button', { name: `Accept and join ${teamName}` }).click();
	await expect(page).toHaveURL(/\/dashboard\?joined=1$/);

	// The coach cannot reset the athlete's password, but asks the admins from the athlete's page;
	// the request reaches the admins' notifications and leads to the account on the users page.
	await openSection(coach, 'Progress');
	await coach.getByRole('link', { name: newcomer }).first().click();
	await expect(coach).toHaveURL(/\/athletes\/[0-9a-f-]+$/);
	await coach.getByRole('button', { name: 'Ask an admin for a reset link' }).click();
	await expect(coach.getByRole('status')).toContainText("The site's admins will make a reset link");
	await coach.goto('/notifications');
	const request = coach
		.getByRole('listitem')
		.filter({ hasText: `Coach Carter asks for a password reset link for ${newcomer} (` });
	await request.getByRole('link', { name: 'Open' }).click();
	await expect(coach).toHaveURL(/\/admin\/users#user-[0-9a-f-]+$/);
	await expect(
		coach.locator(':target').getByRole('button', { name: 'Make a password reset link' })
	).toBeVisible();

	// Someone with an account logs in from the same page and comes back to it.
	const member = await browserPage(browser, testInfo);
	const memberEmail = uniqueEmail(testInfo, 'member');
	await signUp(member, 'Member Runner', memberEmail);
	await logOut(member);
	await member.goto(link);
	await member.getByRole('link', { name: 'Log in' }).last().click();
	await expect(member).toHaveURL(`/login?redirectTo=${encodeURIComponent(path)}`);
	await logIn(member, memberEmail, PASSWORD, false);
	await expect(member).toHaveURL(path);
	await member.getByRole('button', { name: `Accept and join ${teamName}` }).click();
	await expect(member).toHaveURL(/\/dashboard\?joined=1$/);
});

test('an athlete without an account joins from an email', async ({ page, browser }, testInfo) => {
	test.setTimeout(120_000);
	const { coach, teamName } = await coachWithTeam(browser, testInfo);
	const email = uniqueEmail(testInfo, 'invited');
	await openSection(coach, 'Invitations');
	await coach.getByLabel('Email address of their account').fill(email);
	await coach.getByRole('button', { name: 'Send invitation' }).click();
	await expect(coach.getByRole('status')).toContainText('Invitation sent by email');

	const body = await readMail(coach, email, `Coach Carter invited you to ${teamName}`);
	const signupLink = linkIn(body, /\/signup\?redirectTo=%2Fjoin%2F[A-Za-z0-9_-]+/);
	expect(signupLink).toBeTruthy();

	// Another person who signs up from the link cannot accept it.
	const stranger = await browserPage(browser, testInfo);
	await stranger.goto(signupLink!);
	await stranger.getByLabel('Name').fill('Stranger Runner');
	await stranger.getByLabel('Email').fill(uniqueEmail(testInfo, 'stranger'));
	await stranger.getByLabel('Password').fill(PASSWORD);
	await stranger.getByRole('button', { name: 'Sign up' }).click();
	await expect(stranger).toHaveURL(/\/join\//);
	await expect(stranger.getByRole('alert')).toContainText('sent to a different account');

	await page.goto(signupLink!);
	await page.getByLabel('Name').fill('Invited Runner');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/join\/[A-Za-z0-9_-]+$/);
	await page.getByRole('button', { name: `Accept and join ${teamName}` }).click();
	await expect(page).toHaveURL(/\/dashboard\?joined=1$/);
});

test(
	'the recovery pages pass axe in both themes and fit a 375 px phone screen',
	{ tag: JS_ONLY },
	async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 740 });
		for (const path of [
			'/reset-password',
			`/reset-password/${'a'.repeat(40)}`,
			'/join/no-such-code'
		])
			for (const colorScheme of ['light', 'dark'] as const) {
				await page.emulateMedia({ colorScheme });
				await page.goto(path);
				await expectNoAxeViolations(page);
				const overflow = await page.evaluate(
					() => document.documentElement.scrollWidth - window.innerWidth
				);
				expect(overflow, `${path} (${colorScheme}) scrolls sideways`).toBeLessThanOrEqual(0);
			}
		await expect(page.getByRole('alert')).toContainText('not valid');
	}
);
