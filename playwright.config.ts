import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/find-browser.js';

const browser = await findChromium();
if (browser.path === null) throw new Error(browser.problem);

const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://localhost:${PORT}`;
// A fresh data dir per run and port; tests that use the admin CLI read it from here.
const DATA_DIR = `.test-data/e2e-${PORT}`;
process.env.E2E_DATA_DIR = DATA_DIR;

// The flags a sandboxed, offline machine needs (see the README's test section).
const launchOptions = {
	executablePath: browser.path,
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--disable-quic'
	]
};

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	// axe and full course runs take 10–20 s alone; a loaded 2-core machine doubles that.
	timeout: 60_000,
	reporter: 'list',
	// Reduced motion: a card lifting on hover moves the link Playwright is about to click, so it
	// would wait for it to be "stable" for ever; the transitions are decoration.
	// No traces unless asked for (E2E_TRACE=1): recording every test's snapshots costs CPU the
	// suite does not have to spare on a 2-core machine, and CI keeps no artefacts.
	use: {
		baseURL: BASE_URL,
		trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
		launchOptions,
		reducedMotion: 'reduce'
	},
	// A test tagged JS_ONLY or NO_JS_ONLY (tests/e2e/helpers.ts) runs in one project only, and the
	// two files of HTTP-level checks run in the js project only: nothing is reported as skipped.
	projects: [
		{
			name: 'js',
			grepInvert: /@no-js-only/,
			use: {
				...devices['Desktop Chrome'],
				javaScriptEnabled: true,
				reducedMotion: 'reduce',
				launchOptions
			}
		},
		// JavaScript off, on a 375 px phone screen.
		{
			name: 'no-js',
			grepInvert: /@js-only/,
			testIgnore: ['http.spec.ts', 'form-action-names.spec.ts'],
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 375, height: 740 },
				isMobile: true,
				hasTouch: true,
				javaScriptEnabled: false,
				launchOptions
			}
		}
	],
	webServer: {
		// A fresh data dir for every run; the production build, as users run it.
		command: `rm -rf ${DATA_DIR} && node scripts/start.js`,
		url: `${BASE_URL}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		env: {
			PORT: String(PORT),
			ORIGIN: BASE_URL,
			DATA_DIR,
			BODY_SIZE_LIMIT: '2M',
			// One process, as scripts/test.js sets for every test server (workers have tests of their own).
			WORKERS: process.env.WORKERS ?? '1',
			// Every test signs up and logs in from 127.0.0.1; per-account throttling is still tested
			// here, and per-address throttling in the integration and process tests.
			LOGIN_ADDRESS_ALLOWANCE: '1000',
			SIGNUP_ADDRESS_ALLOWANCE: '1000',
			// The real course plus the small fixture course the quiz tests use.
			COURSES_DIR: ['courses', 'tests/fixtures/courses'].join(':')
		}
	}
});
