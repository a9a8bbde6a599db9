// The page after log-in or sign-up is always on this site, however redirectTo is dressed up
// (an outside probe reached http://evil.test/login through "/..//evil.test/login").
import { expect, test } from '@playwright/test';
import { JS_ONLY, logIn, PASSWORD, signUp, uniqueEmail } from './helpers';

const TRICKS = [
	'%2F..%2F%2Fevil.test',
	'/..//evil.test/login',
	'/%2e%2e//evil.test',
	'/x/..//evil.test',
	'/..\\evil.test',
	'/%5C%5Cevil.test',
	'//evil.test',
	'https://evil.test/'
];

// Server answers only: the same with JavaScript off, so it runs once.
test(
	'a logged-in visitor to /login is never sent off the site',
	{ tag: JS_ONLY },
	async ({ page }, testInfo) => {
		await signUp(page, 'Redirect Tester', uniqueEmail(testInfo));
		for (const trick of TRICKS) {
			const res = await page.request.get(`/login?redirectTo=${trick}`, { maxRedirects: 0 });
			expect(res.status(), trick).toBe(303);
			const location = res.headers()['location']!;
			expect(location, trick).toMatch(/^\/(?![/\\])/);
			expect(new URL(location, page.url()).host, trick).toBe(new URL(page.url()).host);
		}
	}
);

test('logging in through a crafted link lands on this site', async ({
	page,
	browser
}, testInfo) => {
	const email = uniqueEmail(testInfo);
	await signUp(page, 'Link Follower', email);
	const context = await browser.newContext();
	const visitor = await context.newPage();
	const home = new URL(page.url()).host;
	for (const trick of ['/..//evil.test/login', '/%2e%2e//evil.test']) {
		await visitor.goto(`/login?redirectTo=${encodeURIComponent(trick)}`);
		await logIn(visitor, email, PASSWORD, false);
		await expect(visitor).toHaveURL(/\/dashboard$/);
		expect(new URL(visitor.url()).host).toBe(home);
		await context.clearCookies();
	}
	await context.close();
});
