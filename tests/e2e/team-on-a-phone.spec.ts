// The coach's team page on a 375 px phone, with and without JavaScript: every section reached by
// following only the links and buttons on screen, no sideways page scroll anywhere, the grid
// scrolling inside its own box with the names held in view, form controls at their own size, the
// destructive action looking it and still asking for the team's name. axe, in both themes, in
// the js project.
import postgres from 'postgres';
import { expect, test, type Page } from '@playwright/test';
import { runningServerUrl } from '../../src/lib/server/db/embedded';
import { createAdmin, expectNoAxeViolations, logIn, uniqueEmail } from './helpers';

const PHONE = { width: 375, height: 740 };
const SECTIONS = ['Progress', 'Assignments', 'Invitations', 'Coaches', 'Settings'];

/** The page's own width: nothing may make the whole page scroll sideways. */
async function expectNoSidewaysScroll(page: Page) {
	const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
	expect(width, `page width at ${page.url()}`).toBeLessThanOrEqual(PHONE.width);
}

async function openSection(page: Page, name: string) {
	const menu = page.getByRole('navigation', { name: 'Team sections' });
	await expect(menu).toBeVisible();
	await menu.getByRole('link', { name, exact: true }).click();
	await expect(menu.getByRole('link', { name, exact: true })).toHaveAttribute(
		'aria-current',
		'page'
	);
	await expectNoSidewaysScroll(page);
}

async function axeInBothThemes(page: Page, js: boolean) {
	if (!js) return;
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		await expectNoAxeViolations(page);
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

test('a coach runs a team from a phone, section by section', async ({ page }, testInfo) => {
	test.setTimeout(120_000); // the admin CLI starts a Node process
	const js = testInfo.project.name === 'js';
	await page.setViewportSize(PHONE);
	const coachEmail = uniqueEmail(testInfo, 'phone-coach');
	createAdmin(coachEmail, 'Phone Coach');
	await logIn(page, coachEmail);
	await expect(page).toHaveURL(/\/dashboard$/);
	const teamName = `Phone club ${testInfo.project.name}`;
	await page.goto('/coach');
	await page.getByLabel('Team name').fill(teamName);
	await page.getByRole('button', { name: 'Create team' }).click();
	await expect(page.getByRole('heading', { level: 1, name: teamName })).toBeVisible();
	const teamId = page.url().split('/').at(-1)!;
	await expect(
		page.getByRole('navigation', { name: 'Team sections' }).getByRole('link')
	).toHaveText(SECTIONS);
	await expectNoSidewaysScroll(page);

	// Three athletes with long names (straight into the database: sign-up is tested elsewhere).
	const sql = postgres(runningServerUrl(process.env.E2E_DATA_DIR!)!, {
		max: 1,
		onnotice: () => {}
	});
	try {
		const tag = `${testInfo.project.name}-${Date.now()}`;
		const athletes = ['Maximiliana Oyelaran-Fitzgerald', 'Bo Li', 'Jean-Baptiste Okonkwo'].map(
			(name, i) => ({ name, email: `phone-${tag}-${i}@example.com`, password_hash: 'not-a-hash' })
		);
		const ids = await sql<{ id: string }[]>`insert into users ${sql(athletes)} returning id`;
		await sql`insert into team_members ${sql(ids.map(({ id }) => ({ team_id: teamId, user_id: id })))}`;
	} finally {
		await sql.end();
	}

	// Assignments: three courses, so the grid is wider than the phone.
	await page.goto('/coach');
	await page.getByRole('link', { name: teamName }).click();
	await openSection(page, 'Assignments');
	for (const title of [
		'Hip flexor and psoas pain in runners',
		'Brewing a pot of tea',
		'Steeping time'
	]) {
		await page.getByLabel('Course', { exact: true }).selectOption({ label: title });
		await page.getByRole('button', { name: 'Assign the course' }).click();
		await expect(page.locator('.notice.success')).toContainText('Course assigned');
		await expectNoSidewaysScroll(page);
	}
	await axeInBothThemes(page, js);

	// Progress: the grid scrolls in its own box, says so, and keeps the names in view.
	await openSection(page, 'Progress');
	await expect(page.getByText('Showing 3 of 3 athletes.')).toBeVisible();
	const box = page.getByRole('region', { name: 'Progress table' });
	await expect(page.getByText('swipe it sideways for every course')).toBeVisible();
	const sizes = await box.evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
	expect(sizes.scroll).toBeGreaterThan(sizes.client);
	const name = box.getByRole('rowheader', { name: 'Bo Li' });
	await box.scrollIntoViewIfNeeded();
	const lastColumn = box.getByRole('columnheader', { name: /^Last activity/ });
	expect((await lastColumn.boundingBox())!.x).toBeGreaterThan(PHONE.width);
	const before = (await name.boundingBox())!;
	await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
	await expect(lastColumn).toBeInViewport();
	const after = (await name.boundingBox())!;
	expect(Math.round(after.x)).toBe(Math.round(before.x));
	await expect(name).toBeInViewport();
	await expectNoSidewaysScroll(page);
	await axeInBothThemes(page, js);

	// Invitations: a link for athletes; the role choice is a normal-sized radio beside its label.
	await openSection(page, 'Invitations');
	const form = page.locator('form').filter({ hasText: 'Create invitation link' });
	const assistant = form.getByRole('radio', { name: /^Assistant coach/ });
	const radio = (await assistant.boundingBox())!;
	expect(radio.width).toBeLessThanOrEqual(24);
	const label = (await form.getByText(/^Assistant coach \(sees/).boundingBox())!;
	expect(label.x).toBeGreaterThan(radio.x + radio.width);
	expect(label.y).toBeLessThan(radio.y + radio.height);
	await form.getByRole('radio', { name: 'Athlete' }).check();
	await form.getByRole('button', { name: 'Create invitation link' }).click();
	await expect(page.locator('.notice.success')).toContainText('Invitation created');
	await expect(page.locator('code.link').first()).toBeVisible();
	await expectNoSidewaysScroll(page);
	await axeInBothThemes(page, js);

	// Coaches: the team's own coach is listed.
	await openSection(page, 'Coaches');
	await expect(page.getByRole('main').getByText('Phone Coach')).toBeVisible();
	await axeInBothThemes(page, js);

	// Settings: "Delete" looks destructive and still asks for the name.
	await openSection(page, 'Settings');
	const remove = page.getByRole('button', { name: `Delete ${teamName}` });
	const looks = await remove.evaluate((el) => {
		const probe = document.createElement('span');
		probe.style.color = 'var(--danger)';
		document.body.append(probe);
		const danger = getComputedStyle(probe).color;
		probe.remove();
		return { background: getComputedStyle(el).backgroundColor, danger };
	});
	expect(looks.background).toBe(looks.danger);
	await axeInBothThemes(page, js);
	await remove.click();
	await expect(page.getByText('Type the team name exactly as shown to delete it.')).toBeVisible();
	await expectNoSidewaysScroll(page);
	await page.getByLabel('Type the team name to confirm').fill(teamName);
	await page.getByRole('button', { name: `Delete ${teamName}` }).click();
	await expect(page).toHaveURL(/\/coach\?deleted=1$/);
	await expect(page.getByRole('link', { name: teamName })).toHaveCount(0);
});
