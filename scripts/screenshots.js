// `npm run screenshots`: builds, starts the production server on a fresh data dir, signs up a
// learner through the UI (who fails the first quiz, then finishes the course through the
// services: scripts/screenshots-complete.ts), and saves PNGs of the main pages at phone and desktop widths, in the
// light and dark themes, into docs/screenshots/. Edit PAGES to change what is captured; a page
// that answers 404 (not built yet) is skipped with a warning.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from './find-browser.js';
import { readCommandLine } from './lib/command-line.js';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs', 'screenshots');
const port = Number(process.env.SCREENSHOT_PORT ?? 4204);
const base = `http://localhost:${port}`;
const COURSE_ID = 'hip-flexor-pain';
const COURSE = `/courses/${COURSE_ID}`;
const EMAIL = 'alex@example.com';
const WIDTHS = { phone: 375, desktop: 1280 };
const THEMES = /** @type {const} */ (['light', 'dark']);

/**
 * The pages to capture, in order. `url` is a path, or a function of what the walk-through has
 * found (the first lesson, the quiz, the result).
 * @type {{ name: string, url: string | ((found: Record<string, string>) => string | undefined) }[]}
 */
const PAGES = [
	{ name: 'home', url: '/' },
	{ name: 'course', url: COURSE },
	{ name: 'dashboard', url: '/dashboard' },
	{ name: 'lesson', url: (f) => f.lesson },
	{ name: 'quiz', url: (f) => f.quiz },
	{ name: 'result', url: (f) => f.result },
	{ name: 'completion', url: `${COURSE}/complete` }
];

const { values: options } = readCommandLine(
	`Usage: npm run screenshots -- [--no-build]

Builds the app, starts it on a fresh data dir (port SCREENSHOT_PORT, 4204), walks a learner
through the hip flexor course and saves PNGs of the main pages, phone and desktop, light and
dark, into docs/screenshots/.

Options:
  --no-build   use the build that is there
  -h, --help   this text`,
	{ options: { 'no-build': { type: 'boolean', default: false } } }
);
if (!options['no-build']) {
	const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.js')], {
		stdio: 'inherit'
	});
	if (built.status !== 0) process.exit(built.status ?? 1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-'));
fs.chmodSync(dataDir, 0o755);
const server = spawn(process.execPath, [path.join(root, 'scripts', 'start.js')], {
	env: { ...process.env, PORT: String(port), ORIGIN: base, DATA_DIR: dataDir },
	stdio: ['ignore', 'inherit', 'inherit']
});
const stopServer = () =>
	new Promise((resolve) => {
		server.once('exit', resolve);
		server.kill('SIGTERM');
	});

try {
	await waitForHealthy();
	const browserPath = await findChromium();
	if (browserPath.path === null) throw new Error(browserPath.problem);
	const browser = await chromium.launch({
		executablePath: browserPath.path,
		args: ['--no-sandbox', '--disable-gpu']
	});
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const found = await walkThrough(page);
	fs.mkdirSync(outDir, { recursive: true });
	await capture(page, PAGES.slice(0, -1), found);
	// Then the rest of the course, through the services, so the completion page has a result.
	const completed = spawnSync(
		'npx',
		['tsx', path.join(root, 'scripts', 'screenshots-complete.ts'), EMAIL, COURSE_ID],
		{ stdio: 'inherit', env: { ...process.env, DATA_DIR: dataDir } }
	);
	if (completed.status !== 0)
		throw new Error('Could not finish the course for the completion page.');
	await capture(page, PAGES.slice(-1), found);
	await browser.close();
} finally {
	await stopServer();
	fs.rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Saves each page at both widths in both themes.
 * @param {import('@playwright/test').Page} page
 * @param {typeof PAGES} pages
 * @param {Record<string, string>} found
 */
async function capture(page, pages, found) {
	for (const { name, url } of pages) {
		const target = typeof url === 'function' ? url(found) : url;
		if (!target) {
			console.warn(`! ${name}: not reached in the walk-through, skipped.`);
			continue;
		}
		const response = await page.goto(base + target);
		if (response?.status() === 404) {
			console.warn(`! ${name}: ${target} answers 404, skipped.`);
			continue;
		}
		for (const theme of THEMES)
			for (const [label, width] of Object.entries(WIDTHS)) {
				await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
				await page.setViewportSize({ width, height: label === 'phone' ? 740 : 900 });
				await page.goto(base + target);
				await page.evaluate(() => document.fonts.ready);
				const file = path.join(outDir, `${name}-${label}-${theme}.png`);
				await page.screenshot({ path: file, fullPage: true });
				console.log(`✓ ${path.relative(root, file)}`);
			}
	}
}

/**
 * Signs up, enrols, reads the first module and submits its quiz (every first choice), noting
 * the URLs on the way.
 * @param {import('@playwright/test').Page} page
 */
async function walkThrough(page) {
	/** @type {Record<string, string>} */
	const found = {};
	await page.goto(base + '/signup');
	await page.getByLabel('Name').fill('Alex Runner');
	await page.getByLabel('Email').fill(EMAIL);
	await page.getByLabel('Password').fill('plum-tractor-71');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.waitForURL(/\/dashboard/);
	await page.goto(base + COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await page.waitForURL((u) => u.pathname !== COURSE);
	found.lesson = new URL(page.url()).pathname;
	// Mark lessons done until the module's quiz opens.
	for (let i = 0; i < 10 && !page.url().endsWith('/quiz'); i++) {
		const before = page.url();
		await page.getByRole('button', { name: /Mark as done/ }).click();
		await page.waitForURL((u) => u.href !== before);
	}
	found.quiz = new URL(page.url()).pathname;
	const start = page.getByRole('button', { name: /Start/ });
	if (await start.count()) await start.first().click();
	await page.waitForSelector('fieldset');
	found.quiz = new URL(page.url()).pathname;
	// Answer every question with its first option and submit, in the form without JavaScript
	// (every question on one page), confirming if asked.
	const browser = /** @type {import('@playwright/test').Browser} */ (page.context().browser());
	const plain = await browser.newContext({
		javaScriptEnabled: false,
		storageState: await page.context().storageState()
	});
	const form = await plain.newPage();
	await form.goto(base + found.quiz);
	const names = await form.$$eval('fieldset input[type=radio]', (inputs) => [
		...new Set(inputs.map((i) => /** @type {HTMLInputElement} */ (i).name))
	]);
	for (const name of names) await form.locator(`input[name="${name}"]`).first().check();
	for (let i = 0; i < 3 && !/\/attempts\//.test(form.url()); i++) {
		// Questions left blank: the page asks to confirm, as it would a learner.
		const anyway = form.getByRole('button', { name: 'Submit anyway' });
		const submit = (await anyway.count())
			? anyway
			: form.getByRole('button', { name: 'Submit answers for grading' });
		await submit.click();
	}
	if (/\/attempts\//.test(form.url())) found.result = new URL(form.url()).pathname;
	await plain.close();
	return found;
}

async function waitForHealthy() {
	for (let i = 0; i < 1500; i++) {
		if (server.exitCode !== null) throw new Error('The server stopped before it was ready.');
		try {
			if ((await fetch(`${base}/healthz`)).ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error('The server did not become ready.');
}
