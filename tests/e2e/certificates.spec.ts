// A runner finishes the fixture course, gets a certificate, and hands it to a club, who checks it
// on the verification page without an account; an admin revokes it and the page says so at once.
import { expect, test } from '@playwright/test';
import { adminCli, expectNoAxeViolations, logIn, PASSWORD, signUp, uniqueEmail } from './helpers';
import { completeFixtureCourse, isJs } from './fixture-course';

test('earn, download, verify, and see a revocation', async ({ page, browser }, testInfo) => {
	test.setTimeout(150_000);
	const email = uniqueEmail(testInfo);
	await signUp(page, 'Zoë Łukasz-Ødegård', email);
	await completeFixtureCourse(page, testInfo);
	// The submit that completed the course says so, with the way to the certificate.
	await expect(page.getByRole('status').filter({ hasText: 'Congratulations' })).toBeVisible();
	await page.getByRole('link', { name: 'view, download and share it' }).click();
	await expect(page).toHaveURL(/\/certificates$/);
	await expect(page.getByRole('heading', { level: 2, name: 'Brewing a pot of tea' })).toBeVisible();
	await expect(page.getByText('Issued to Zoë Łukasz-Ødegård')).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(page);

	// The documents: a PDF and a signed credential, for the holder only.
	const pdfHref = (await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href'))!;
	const jwtHref = (await page
		.getByRole('link', { name: 'Download credential' })
		.getAttribute('href'))!;
	const pdf = await page.request.get(pdfHref);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
	const jwt = await (await page.request.get(jwtHref)).text();
	expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
	const linkedIn = await page.getByRole('link', { name: 'Add to LinkedIn' }).getAttribute('href');
	expect(linkedIn).toMatch(
		/^https:\/\/www\.linkedin\.com\/profile\/add\?startTask=CERTIFICATION_NAME/
	);

	const strangerContext = await browser.newContext();
	const stranger = await strangerContext.newPage();
	await signUp(stranger, 'Stranger', uniqueEmail(testInfo, 'stranger'));
	const ldHref = (await page
		.getByRole('link', { name: 'Download for a wallet (JSON-LD)' })
		.getAttribute('href'))!;
	for (const href of [pdfHref, jwtHref, ldHref])
		expect((await stranger.request.get(href)).status()).toBe(404);

	// The club, with no account: the verification page shows the record and checks the file.
	const verifyUrl = (await page.getByRole('link', { name: /\/verify\// }).getAttribute('href'))!;
	await strangerContext.clearCookies();
	const club = stranger;
	const seen = await club.goto(verifyUrl);
	expect(seen?.headers()['x-robots-tag']).toBe('noindex');
	await expect(club.getByText('Valid.', { exact: false }).first()).toBeVisible();
	await expect(club.getByText('Zoë Łukasz-Ødegård')).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(club);
	await club.getByLabel('Or paste it').fill(jwt);
	await club.getByRole('button', { name: 'Check the credential' }).click();
	await expect(
		club.getByText(/carries the issuer's signature and matches this record/)
	).toBeVisible();
	await expect(club.getByText('Checked: VC-JWT signature (RS256)', { exact: false })).toBeVisible();
	// The check's verdict is the page's one verdict, at the top.
	await expect(club.locator('.notice')).toHaveCount(1);
	// A tampered credential fails with a reason.
	const [h, p, s] = jwt.split('.');
	const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
	payload.name = 'Forged';
	const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
	await club.getByLabel('Or paste it').fill(forged);
	await club.getByRole('button', { name: 'Check the credential' }).click();
	await expect(club.getByText('Not valid.')).toBeVisible();
	// No green banner above a failed check.
	await expect(club.locator('.notice.success')).toHaveCount(0);
	// Unknown and malformed codes are a plain 404.
	for (const code of ['nope', 'a'.repeat(39), '%00'])
		expect((await club.request.get(`/verify/${code}`)).status(), code).toBe(404);

	// An admin revokes it; the page and the status endpoint say so at once.
	const adminEmail = uniqueEmail(testInfo, 'certadmin');
	adminCli(['create-admin', '--email', adminEmail, '--name', 'Cert Admin'], `${PASSWORD}\n`);
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await logIn(admin, adminEmail);
	await expect(admin).toHaveURL(/\/dashboard$/);
	// Both projects share the database, so the holder is found by their own email.
	await admin.goto('/admin/certificates?q=' + encodeURIComponent(email));
	if (isJs(testInfo)) await expectNoAxeViolations(admin);
	const row = admin.getByRole('row').filter({ hasText: email });
	await row.getByLabel('Reason').fill('Issued in error');
	await row.getByRole('button', { name: 'Revoke' }).click();
	await expect(admin.getByText('Certificate revoked.')).toBeVisible();
	await club.goto(verifyUrl);
	await expect(club.getByText('Revoked', { exact: true })).toBeVisible();
	await expect(club.getByText('Issued in error')).toBeVisible();
	const status = (await (await club.request.get(`${verifyUrl}/status`)).json()) as {
		status: string;
	};
	expect(status.status).toBe('revoked');
	await adminContext.close();
	await strangerContext.close();
});
