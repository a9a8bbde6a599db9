import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { randomBytes } from 'node:crypto';

export const PASSWORD = 'plum-tractor-71';

export function uniqueEmail(testInfo: TestInfo, label = 'runner'): string {
	return `${label}-${testInfo.project.name}-${randomBytes(4).toString('hex')}@example.com`;
}

export async function signUp(page: Page, name: string, email: string, password = PASSWORD) {
	await page.goto('/signup');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/dashboard$/);
}

/** Logs in from /login, or from the log-in page already open (keeping its redirectTo). */
export async function logIn(page: Page, email: string, password = PASSWORD, navigate = true) {
	if (navigate) await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page) {
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/$/);
}

/** axe runs inside the page, so it needs JavaScript: call it from the js project. */
export async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	expect(
		results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)
	).toEqual([]);
}
