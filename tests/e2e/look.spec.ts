// The look on phones and in both themes: diagrams that open full size, and axe clean on the
// public pages in light and dark. (Matching answers shown whole: matchItem in fixture-course.ts,
// run by the course-completion spec at 375 px without JavaScript and at 1280 px with it.)
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, JS_ONLY, signUp, uniqueEmail } from './helpers';
import { COURSE, isJs } from './fixture-course';

for (const colorScheme of ['light', 'dark'] as const)
	// axe runs inside the page, so it needs JavaScript.
	test(
		`home, catalogue and course page pass axe in the ${colorScheme} theme`,
		{ tag: JS_ONLY },
		async ({ page }) => {
			await page.emulateMedia({ colorScheme });
			for (const path of ['/', '/courses', '/courses/hip-flexor-pain']) {
				await page.goto(path);
				await expectNoAxeViolations(page);
			}
			// The course's cover art is public, like the pages that show it.
			const cover = page.locator('img.cover');
			await expect(cover).toBeVisible();
			expect(await cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
		}
	);

test('a lesson diagram has its size and opens full screen (a plain link without JavaScript)', async ({
	page
}, testInfo) => {
	await signUp(page, 'Diagram Reader', uniqueEmail(testInfo));
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	const image = page.locator('article img').first();
	await expect(image).toHaveAttribute('width', /^\d+$/);
	await expect(image).toHaveAttribute('height', /^\d+$/);
	const link = page.locator('a.figure-link').first();
	const href = (await link.getAttribute('href'))!;
	const lesson = page.url();
	if (isJs(testInfo)) {
		// With JavaScript: a full-screen dialog over the lesson, with zoom, closed by Escape.
		await link.click();
		const viewer = page.getByRole('dialog', { name: 'Diagram, full screen' });
		await expect(viewer).toBeVisible();
		await expect(viewer.locator('img')).toHaveAttribute('src', new RegExp(`${escaped(href)}$`));
		await expect(page).toHaveURL(lesson);
		await viewer.getByRole('button', { name: 'Zoom in' }).click();
		await expect(viewer.getByRole('button', { name: 'Fit to screen' })).toBeVisible();
		await expectNoAxeViolations(page);
		await page.keyboard.press('Escape');
		await expect(viewer).toBeHidden();
		await expect(link).toBeFocused();
		// Keyboard only: Enter on the focused figure opens it again, and Close closes it.
		await page.keyboard.press('Enter');
		await expect(viewer).toBeVisible();
		await viewer.getByRole('button', { name: 'Close' }).click();
		await expect(viewer).toBeHidden();
	} else {
		// Without: the link opens the image alone, where the browser zooms it.
		await link.click();
		await expect(page).toHaveURL(new RegExp(`${escaped(href)}$`));
	}
});

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
