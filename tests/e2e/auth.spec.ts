import { expect, test } from '@playwright/test';
import {
	expectNoAxeViolations,
	JS_ONLY,
	logIn,
	logOut,
	NO_JS_ONLY,
	PASSWORD,
	signUp,
	uniqueEmail
} from './helpers';

test('sign up, log out, log in again', async ({ page }, testInfo) => {
	const email = uniqueEmail(testInfo);
	await signUp(page, 'Ada Runner', email);
	await expect(page.getByRole('heading', { name: 'Welcome, Ada Runner' })).toBeVisible();
	await logOut(page);
	await expect(
		page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' })
	).toBeVisible();
	await logIn(page, email);
	await expect(page).toHaveURL(/\/dashboard$/);
	await expect(page.getByRole('heading', { name: 'Welcome, Ada Runner' })).toBeVisible();
});

test('a wrong password and an unknown email get the same message', async ({ page }, testInfo) => {
	const email = uniqueEmail(testInfo);
	await signUp(page, 'Wrong Pass', email);
	await logOut(page);
	await logIn(page, email, 'not-the-password');
	const wrong = await page.getByRole('alert').textContent();
	expect(wrong).toContain('do not match');
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await logIn(page, uniqueEmail(testInfo, 'nobody'), 'not-the-password');
	expect(await page.getByRole('alert').textContent()).toBe(wrong);
});

test('sign-up errors appear beside their fields and keep the other values', async ({
	page
}, testInfo) => {
	const email = uniqueEmail(testInfo);
	await page.goto('/signup');
	await page.getByLabel('Name').fill('Short Pass');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('abc1234');
	await page.getByRole('button', { name: 'Sign up' }).click();
	const password = page.getByLabel('Password');
	await expect(password).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
	await expect(page.getByLabel('Name')).toHaveValue('Short Pass');
	await expect(page.getByLabel('Email')).toHaveValue(email);

	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Password').fill('password');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText(/valid email address/).first()).toBeVisible();
	if (testInfo.project.name === 'js') await expectNoAxeViolations(page);
});

test('a guarded page sends a visitor to log in, then back', async ({ page }, testInfo) => {
	const email = uniqueEmail(testInfo);
	await signUp(page, 'Guarded', email);
	await logOut(page);
	await page.goto('/account');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
	await logIn(page, email, PASSWORD, false);
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByRole('heading', { name: 'Your account', exact: true })).toBeVisible();
});

// Sessions end on the server: the same with JavaScript on, so it runs once, without.
test(
	'changing the password ends the other session',
	{ tag: NO_JS_ONLY },
	async ({ browser, page }, testInfo) => {
		const email = uniqueEmail(testInfo);
		await signUp(page, 'Two Browsers', email);
		const other = await browser.newContext({ javaScriptEnabled: testInfo.project.name === 'js' });
		const otherPage = await other.newPage();
		await logIn(otherPage, email);
		await expect(otherPage).toHaveURL(/\/dashboard$/);

		await page.goto('/account');
		await page.getByLabel('Current password').fill(PASSWORD);
		await page.getByLabel('New password').fill('fresh-lemon-trail-4');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expect(page.getByRole('status')).toContainText('Your password was changed');

		// This browser stays in; the other one is logged out.
		await page.goto('/dashboard');
		await expect(page).toHaveURL(/\/dashboard$/);
		await otherPage.goto('/dashboard');
		await expect(otherPage).toHaveURL(/\/login/);
		await logIn(otherPage, email, PASSWORD);
		await expect(otherPage.getByRole('alert')).toContainText('do not match');
		await logIn(otherPage, email, 'fresh-lemon-trail-4');
		await expect(otherPage).toHaveURL(/\/dashboard$/);
		await other.close();
	}
);

test('a wrong current password is refused beside the field', async ({ page }, testInfo) => {
	await signUp(page, 'Careful', uniqueEmail(testInfo));
	await page.goto('/account');
	await page.getByLabel('Current password').fill('not-my-password');
	await page.getByLabel('New password').fill('fresh-lemon-trail-4');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('Your current password is not correct.')).toBeVisible();
	if (testInfo.project.name === 'js') await expectNoAxeViolations(page);
});

test('the display name can be changed and is shown as text, never as markup', async ({
	page
}, testInfo) => {
	const evil = '<img src=x onerror=alert(1)>';
	let dialogs = 0;
	page.on('dialog', (d) => {
		dialogs++;
		void d.dismiss();
	});
	await signUp(page, 'Plain', uniqueEmail(testInfo));
	await page.goto('/account');
	await page.getByLabel('Display name').fill(evil);
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByRole('status')).toContainText('saved');
	await page.goto('/dashboard');
	await expect(page.getByRole('heading', { name: `Welcome, ${evil}` })).toBeVisible();
	expect(await page.locator('main img').count()).toBe(0);
	expect(dialogs).toBe(0);
});

test('logging out ends the session even if the old cookie is replayed', async ({
	page,
	request
}, testInfo) => {
	await signUp(page, 'Replay', uniqueEmail(testInfo));
	const cookie = (await page.context().cookies()).find((c) => c.name === 'session');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
	await logOut(page);
	const replay = await request.get('/dashboard', {
		headers: { cookie: `session=${cookie!.value}` },
		maxRedirects: 0
	});
	expect(replay.status()).toBe(303);
	expect(replay.headers()['location']).toMatch(/^\/login/);
});

// axe runs inside the page, so it needs JavaScript.
test(
	'public pages pass axe in light and dark themes and fit a 375 px phone screen',
	{ tag: JS_ONLY },
	async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 740 });
		for (const [path, colorScheme] of [
			['/', 'light'],
			['/login', 'light'],
			['/signup', 'light'],
			['/', 'dark'],
			['/signup', 'dark'],
			['/courses/hip-flexor-pain', 'dark']
		] as const) {
			await page.emulateMedia({ colorScheme });
			await page.goto(path);
			await expectNoAxeViolations(page);
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - window.innerWidth
			);
			expect(overflow, `${path} (${colorScheme}) scrolls sideways`).toBeLessThanOrEqual(0);
		}
	}
);

test('the keyboard reaches the sign-up form with a visible focus', async ({ page }, testInfo) => {
	await page.goto('/signup');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
	await page.getByLabel('Name').focus();
	await page.keyboard.type('Keys Only');
	await page.keyboard.press('Tab');
	await page.keyboard.type(uniqueEmail(testInfo));
	await page.keyboard.press('Tab');
	await page.keyboard.type(PASSWORD);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/dashboard$/);
});

// Cookies and server answers: the same with JavaScript off, so it runs once.
test(
	'a runner’s own browser still logs in while failures from elsewhere lock the account',
	{ tag: JS_ONLY },
	async ({ browser, page, request, baseURL }, testInfo) => {
		test.setTimeout(60_000);
		const email = uniqueEmail(testInfo, 'trusted');
		await signUp(page, 'Trusted Runner', email);
		const device = (await page.context().cookies()).find((c) => c.name === 'device');
		expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
		expect(device!.expires * 1000).toBeGreaterThan(Date.now() + 360 * 24 * 3600 * 1000);
		await logOut(page);

		// Someone else guesses, waiting out each short lock, until nine guesses lock the account for
		// 16 seconds.
		let failures = 0;
		while (failures < 9) {
			const res = await request.post('/login', {
				headers: { origin: baseURL!, accept: 'text/html' },
				form: { email, password: `attacker-${failures}-guess` }
			});
			if (res.status() === 400) failures++;
			else {
				expect(res.status()).toBe(429);
				await new Promise((r) => setTimeout(r, 500));
			}
		}

		// A browser the runner never used is locked out, even with the right password...
		const stranger = await browser.newContext({
			javaScriptEnabled: testInfo.project.name === 'js'
		});
		const strangerPage = await stranger.newPage();
		await logIn(strangerPage, email);
		await expect(strangerPage.getByRole('alert')).toContainText('Too many failed attempts');
		await stranger.close();
		// ...but the runner's own browser, which carries the device cookie, gets in.
		await logIn(page, email);
		await expect(page).toHaveURL(/\/dashboard$/);
		await expect(page.getByRole('heading', { name: 'Welcome, Trusted Runner' })).toBeVisible();
	}
);
