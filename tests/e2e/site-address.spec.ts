// The site's address as a new club meets it (issue 24): started without ORIGIN, the site names
// this machine, and says so to the learner and the admin; the first admin follows the setup step,
// confirms the address people use, and the certificate earned before names it under its same
// code. Each project gets a server of its own, since confirming the address changes the site.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type TestInfo } from '@playwright/test';
import { startServer, type RunningServer } from '../support/server-process';
import { completeFixtureCourse, isJs } from './fixture-course';
import { expectNoAxeViolations, logIn, PASSWORD, signUp, uniqueEmail } from './helpers';

let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-site-address-'));
	server = await startServer(dataDir, {
		// Empty is unset (scripts/start.js): the address comes from the site's settings.
		ORIGIN: '',
		COURSES_DIR: ['courses', 'tests/fixtures/courses'].join(':'),
		BODY_SIZE_LIMIT: '2M'
	});
});

test.afterAll(async () => {
	if (server && server.process.exitCode === null) server.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A browser on this test's server, as the project sets it up (JS on, or off on a phone). */
async function visit(browser: Browser, testInfo: TestInfo) {
	const { viewport, isMobile, hasTouch, javaScriptEnabled, userAgent, deviceScaleFactor } =
		testInfo.project.use;
	const context = await browser.newContext({
		baseURL: server.url,
		viewport,
		isMobile,
		hasTouch,
		javaScriptEnabled,
		userAgent,
		deviceScaleFactor,
		reducedMotion: 'reduce'
	});
	return context.newPage();
}

test('the first admin confirms the address, and an earlier certificate follows', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const learner = await visit(browser, testInfo);
	await signUp(learner, 'Early Runner', uniqueEmail(testInfo));
	await completeFixtureCourse(learner, testInfo);
	await learner.goto('/certificates');
	await expect(learner.getByRole('note')).toContainText(
		'your certificates can be checked only on this machine'
	);
	const before = learner.getByRole('link', { name: /\/verify\// });
	const code = (await before.textContent())!.trim().split('/verify/')[1]!;
	await expect(before).toHaveText(`${server.url}/verify/${code}`);

	const adminEmail = uniqueEmail(testInfo, 'admin');
	const made = spawnSync(
		'npx',
		['tsx', 'scripts/admin.ts', 'create-admin', '--email', adminEmail, '--name', 'First Admin'],
		{ input: `${PASSWORD}\n`, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir } }
	);
	expect(made.stdout).toContain(`Created admin ${adminEmail}`);

	const admin = await visit(browser, testInfo);
	await logIn(admin, adminEmail);
	await expect(admin).toHaveURL(/\/dashboard$/);
	// Where the first admin lands after logging in, the setup step is offered too.
	await expect(
		admin.getByRole('note').filter({ hasText: 'Setup: confirm this site' })
	).toBeVisible();
	await admin.getByRole('link', { name: 'Admin', exact: true }).click();
	await expect(admin).toHaveURL(/\/admin$/);
	const setup = admin.getByRole('note').filter({ hasText: 'Setup: confirm this site' });
	await expect(setup).toContainText('only this machine can open');
	await setup.getByRole('link', { name: 'Confirm the address people use' }).click();
	await expect(admin).toHaveURL(/\/admin\/settings$/);
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Site settings');
	const field = admin.getByLabel('Address people open the site at');
	// Prefilled with the address the admin is browsing from; nothing is saved until they confirm.
	await expect(field).toHaveValue(server.url);
	if (isJs(testInfo)) await expectNoAxeViolations(admin);

	await field.fill('https://club.example/admin');
	await admin.getByRole('button', { name: 'Confirm this address' }).click();
	await expect(admin.getByRole('alert')).toContainText('without a path');
	await field.fill('https://club.example');
	await admin.getByRole('button', { name: 'Confirm this address' }).click();
	await expect(admin.getByRole('status')).toContainText(
		'Address saved: the site is now https://club.example. One certificate was re-issued'
	);
	await expect(admin.getByText('(confirmed by an admin)')).toBeVisible();
	await admin.goto('/admin');
	await expect(admin.getByText('Setup: confirm this site')).toHaveCount(0);
	await admin.goto('/dashboard');
	await expect(admin.getByText('Setup: confirm this site')).toHaveCount(0);

	await learner.goto('/certificates');
	await expect(learner.getByRole('link', { name: /\/verify\// })).toHaveText(
		`https://club.example/verify/${code}`
	);
	await expect(learner.getByText('checked only on this machine')).toHaveCount(0);
	const href = (await learner
		.getByRole('link', { name: 'Download credential' })
		.getAttribute('href'))!;
	const jwt = await (await learner.request.get(href)).text();
	const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as {
		iss: string;
		id: string;
	};
	expect(claims.iss).toBe('https://club.example/issuer');
	expect(claims.id).toBe(`https://club.example/verify/${code}`);
});
