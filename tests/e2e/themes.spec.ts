// The signed-in pages in both themes: axe clean (contrast included) in light and in dark, and
// every visible button's text at least 4.5:1 on its own background. The public pages are in
// look.spec.ts, the coach's team page in team-on-a-phone.spec.ts, a result in no-dead-ends.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, JS_ONLY, signUp, uniqueEmail } from './helpers';

const PAGES = ['/dashboard', '/account', '/notifications', '/certificates', '/login', '/signup'];

/** Each visible button's text against its own background (solid backgrounds only). */
async function buttonContrasts(page: Page) {
	return page.evaluate(() => {
		const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
		const lum = ([r, g, b]: number[]) => {
			const f = (v: number) => {
				const s = v / 255;
				return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
			};
			return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
		};
		return [...document.querySelectorAll<HTMLElement>('button, a.button')]
			.filter((b) => b.offsetParent !== null && !(b as HTMLButtonElement).disabled)
			.flatMap((b) => {
				const style = getComputedStyle(b);
				const bg = rgb(style.backgroundColor);
				if (bg.length < 3 || (bg.length === 4 && bg[3] === 0)) return [];
				const [hi, lo] = [lum(rgb(style.color)), lum(bg)].sort((x, y) => y - x);
				return [{ text: b.textContent.trim(), ratio: (hi! + 0.05) / (lo! + 0.05) }];
			});
	});
}

for (const colorScheme of ['light', 'dark'] as const)
	test(`the signed-in pages pass axe in the ${colorScheme} theme ${JS_ONLY}`, async ({
		page,
		browser
	}, testInfo) => {
		await page.emulateMedia({ colorScheme });
		await signUp(page, 'Theme Tester', uniqueEmail(testInfo, `theme-${colorScheme}`));
		for (const path of PAGES) {
			// The log-in and sign-up pages as a visitor sees them.
			const visitor = path === '/login' || path === '/signup';
			const context = visitor ? await browser.newContext({ colorScheme }) : null;
			const at = context ? await context.newPage() : page;
			await at.goto(path);
			await expectNoAxeViolations(at);
			for (const { text, ratio } of await buttonContrasts(at))
				expect(ratio, `${path}: "${text}" in ${colorScheme}`).toBeGreaterThanOrEqual(4.5);
			await context?.close();
		}
	});
