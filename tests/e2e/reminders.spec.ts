// Reminders end to end: a coach (here an admin, who may coach) assigns a course with a due date;
// the athlete sees the unread count and the notice, marks it read; the admin finds the held
// assignment email in the outbox; its unsubscribe link turns email reminders off.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, logIn, signUp, uniqueEmail, createAdmin } from './helpers';

const TITLE = 'Brewing a pot of tea';

test('an assignment reaches the athlete in-app and the outbox by email', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(120_000); // the admin CLI starts a Node process; axe runs three times
	const js = testInfo.project.name === 'js';
	const coachEmail = uniqueEmail(testInfo, 'coach');
	createAdmin(coachEmail, 'Coach Carter');

	const athleteContext = await browser.newContext({ javaScriptEnabled: js });
	const athlete = await athleteContext.newPage();
	const athleteEmail = uniqueEmail(testInfo, 'athlete');
	await signUp(athlete, 'Ada Runner', athleteEmail);
	await expect(athlete.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();

	// The coach makes a team and an invitation link; the athlete joins with it.
	await logIn(page, coachEmail);
	await expect(page).toHaveURL(/\/dashboard$/);
	await page.goto('/coach');
	await page.getByLabel('Team name').fill(`Harriers ${testInfo.project.name}`);
	await page.getByRole('button', { name: 'Create team' }).click();
	await expect(page).toHaveURL(/\/coach\/teams\/[0-9a-f-]+$/);
	await page.getByRole('link', { name: 'Invitations', exact: true }).click();
	await page.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await page.locator('code.link').first().textContent();
	await athlete.goto(link!);
	await athlete.getByRole('button', { name: /^Accept and join/ }).click();

	// The coach assigns the course, due in ten days.
	const due = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
	await page.getByRole('link', { name: 'Assignments', exact: true }).click();
	await page.getByLabel('Course', { exact: true }).selectOption({ label: TITLE });
	await page.getByLabel('Due date (optional)').fill(due);
	await page.getByLabel('Note for the athletes (optional)').fill('Read it before Saturday');
	await page.getByRole('button', { name: 'Assign the course' }).click();
	await expect(page).toHaveURL(/saved=assigned/);

	// The athlete sees one unread notification in the header, and the notice itself.
	await athlete.goto('/dashboard');
	const header = athlete.getByRole('link', { name: /^Notifications\W+1 unread$/ });
	await expect(header).toBeVisible();
	await header.click();
	await expect(athlete).toHaveURL(/\/notifications$/);
	const notice = athlete.getByRole('listitem').filter({ hasText: `assigned you “${TITLE}”` });
	await expect(notice).toContainText('Coach Carter assigned you');
	await expect(notice).toContainText('New');
	if (js) await expectNoAxeViolations(athlete);
	await notice.getByRole('button', { name: 'Mark as read' }).click();
	await expect(athlete.getByText('No unread notifications.')).toBeVisible();
	await expect(athlete.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();

	// The due moment (the end of the chosen day, UTC) reads in the athlete's own time zone.
	await athlete.goto('/account');
	await athlete.getByLabel('Your time zone').selectOption('America/Los_Angeles');
	await athlete.getByRole('button', { name: 'Save time zone' }).click();
	await expect(athlete).toHaveURL(/saved=time-zone/);
	await athlete.goto('/dashboard');
	const assigned = athlete.getByRole('listitem').filter({ hasText: TITLE });
	const [y, m, d] = due.split('-').map(Number);
	const dueDay = new Date(Date.UTC(y!, m! - 1, d)).toLocaleDateString('en-GB', {
		dateStyle: 'medium',
		timeZone: 'UTC'
	});
	// 23:59 UTC is 15:59 (summer) or 16:59 (winter) the same day in Los Angeles.
	await expect(assigned).toContainText(
		new RegExp(`Due ${dueDay}, 1[56]:59 \\(Los Angeles time\\)`)
	);
	await expect(assigned).toContainText('10 days left');
	// The notification's time too is in the athlete's zone (it was always UTC).
	await athlete.goto('/notifications');
	const sent = athlete.locator('li time').first();
	const sentAt = (await sent.getAttribute('datetime'))!;
	await expect(sent).toHaveText(
		new Intl.DateTimeFormat('en-GB', {
			dateStyle: 'medium',
			timeStyle: 'short',
			timeZone: 'America/Los_Angeles'
		}).format(new Date(sentAt))
	);

	// The admin reads the assignment email, held because no SMTP server is configured.
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Outbox' }).click();
	await expect(page).toHaveURL(/\/admin\/outbox$/);
	const mail = page
		.getByRole('listitem')
		.filter({ hasText: `to ${athleteEmail}` })
		.filter({ hasText: `New course from Coach Carter: ${TITLE}` });
	await expect(mail).toContainText('Held');
	await mail.getByText(`New course from Coach Carter: ${TITLE}`).click();
	await expect(mail).toContainText('Their note: Read it before Saturday');
	if (js) await expectNoAxeViolations(page);
	const body = await mail.locator('pre').textContent();
	const unsubscribe = /http:\/\/localhost:\d+\/unsubscribe\/[A-Za-z0-9_-]{22}/.exec(body!)?.[0];
	expect(unsubscribe).toBeTruthy();

	// The link in the mail turns email reminders off without logging in.
	const stranger = await browser.newContext({ javaScriptEnabled: js });
	const visitor = await stranger.newPage();
	await visitor.goto(unsubscribe!);
	await expect(visitor.getByText(/Stop emails about assignments/)).toContainText('at…@example.com');
	if (js) await expectNoAxeViolations(visitor);
	await visitor.getByRole('button', { name: 'Turn off email reminders' }).click();
	await expect(visitor.getByRole('status')).toContainText('Email reminders are off');
	await athlete.goto('/account');
	await expect(athlete.getByLabel('Send me email reminders')).not.toBeChecked();
	// And the athlete can turn them back on.
	await athlete.getByLabel('Send me email reminders').check();
	await athlete.getByRole('button', { name: 'Save email setting' }).click();
	await expect(athlete.getByText('Email reminders are on.')).toBeVisible();
	await expect(athlete.getByLabel('Send me email reminders')).toBeChecked();
	await stranger.close();
	await athleteContext.close();
});
