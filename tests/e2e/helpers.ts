import { spawnSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { randomBytes } from 'node:crypto';

export const PASSWORD = 'plum-tractor-71';

// Tags that keep a test to one project (playwright.config.ts leaves it out of the other one):
// checks of server answers and axe checks (axe runs inside the page) run once, with JavaScript;
// checks of the plain HTML forms run once, without. Nothing is run twice or reported as skipped.
export const JS_ONLY = '@js-only';
export const NO_JS_ONLY = '@no-js-only';

export function uniqueEmail(testInfo: TestInfo, label = 'runner'): string {
	return `${label}-${testInfo.project.name}-${randomBytes(4).toString('hex')}@example.com`;
}

/** The admin CLI, run as an operator runs it: it finds the running app's database by DATA_DIR. */
export function adminCli(args: string[], input?: string) {
	return spawnSync('npx', ['tsx', 'scripts/admin.ts', ...args], {
		input,
		encoding: 'utf8',
		env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR }
	});
}

/** An admin account (admins may also coach), made with the CLI. */
export function createAdmin(email: string, name: string) {
	const made = adminCli(['create-admin', '--email', email, '--name', name], `${PASSWORD}\n`);
	expect(made.stdout).toContain(`Created admin ${email}`);
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

/**
 * The values an open attempt's form sends, read from the page as a browser shows it (in a page of
 * its own, so the caller's page stays where it is): field name → choice text → value.
 */
export async function choiceValues(page: Page, url: string) {
	const reader = await page.context().newPage();
	try {
		await reader.goto(url);
		const entries = await reader.evaluate(() => {
			const out: [string, string, string][] = [];
			for (const input of document.querySelectorAll<HTMLInputElement>('input[name^="q."]'))
				if (input.type === 'radio' || input.type === 'checkbox')
					out.push([input.name, input.closest('label')?.textContent?.trim() ?? '', input.value]);
			for (const select of document.querySelectorAll<HTMLSelectElement>('select[name^="q."]'))
				for (const option of select.options)
					if (option.value) out.push([select.name, option.text.trim(), option.value]);
			return out;
		});
		const byField = new Map<string, Map<string, string>>();
		for (const [name, text, value] of entries) {
			if (!byField.has(name)) byField.set(name, new Map());
			byField.get(name)!.set(text, value);
		}
		return byField;
	} finally {
		await reader.close();
	}
}

/** A section of the team page, reached by its link in the section menu. */
export async function openSection(page: Page, name: string) {
	await page
		.getByRole('navigation', { name: 'Team sections' })
		.getByRole('link', { name, exact: true })
		.click();
	await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute(
		'aria-current',
		'page'
	);
}
