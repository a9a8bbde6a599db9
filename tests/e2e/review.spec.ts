// Learning that sticks, in the browser with JavaScript on and off: an inline check answered
// wrongly in a lesson, a missed quiz question coming back in review (the card's due date moved
// in the database, as the clock would), answered and scheduled later, the streak on the
// dashboard, and the coach seeing the athlete keep up.
import postgres from 'postgres';
import { expect, test, type Page } from '@playwright/test';
import { runningServerUrl } from '../../src/lib/server/db/embedded';
import { COURSE, isJs, markLessons, next, question, submit } from './fixture-course';
import { adminCli, expectNoAxeViolations, openSection, signUp, uniqueEmail } from './helpers';

function database() {
	return postgres(runningServerUrl(process.env.E2E_DATA_DIR!)!, { max: 1, onnotice: () => {} });
}

async function enrol(page: Page) {
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expect(page).toHaveURL(new RegExp(`${COURSE}/basics/first-steps$`));
}

test('an inline check answered wrongly shows its feedback in place', async ({ page }, testInfo) => {
	await signUp(page, 'Check Learner', uniqueEmail(testInfo, 'check'));
	await enrol(page);
	const check = page.getByRole('region', { name: 'Check yourself' });
	await expect(check.getByText('Quick check (not graded)')).toBeVisible();
	// Before an answer the page holds no key.
	expect(await page.content()).not.toMatch(/Pour it away[\s\S]*correct|"correct"/);
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	const lessonUrl = page.url();
	await check.getByLabel('Brew the tea with it').check();
	await check.getByRole('button', { name: 'Check my answer' }).click();
	await expect(check.getByText('Not quite.')).toBeVisible();
	await expect(check.getByText('Right answer: Pour it away')).toBeVisible();
	await expect(check.getByText('That water has cooled in the pot')).toBeVisible();
	// Back at the same place in the lesson: the check's anchor, and (with JS) no reload at all.
	if (isJs(testInfo)) expect(page.url()).toBe(lessonUrl);
	else expect(page.url()).toMatch(/#check-water-swirl$/);
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	// Ungraded: the lesson is still to be marked done.
	await expect(page.getByRole('button', { name: 'Mark as done and continue' })).toBeVisible();
});

test('a missed quiz question comes back in review, is answered and scheduled later, and the coach sees it', async ({
	page,
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const js = isJs(testInfo);
	const email = uniqueEmail(testInfo, 'athlete');
	const name = `Rae Reviewer ${testInfo.project.name}`;
	await signUp(page, name, email);
	await enrol(page);
	await markLessons(page, 2);
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await question(page, 1).getByLabel('Chill the pot').check();
	await next(page, testInfo, 2, 3);
	await question(page, 2).getByLabel('Measure the leaves').check();
	await question(page, 2).getByLabel('Time the brew').check();
	await next(page, testInfo, 3, 3);
	await question(page, 3).getByLabel('True').check();
	await submit(page, testInfo);

	// Review is one step away from any page, through the header alone (here, the quiz result).
	const header = page.getByRole('navigation', { name: 'Main' });
	const reviewLink = header.getByRole('link', { name: 'Review', exact: true });
	if (js) {
		await reviewLink.focus();
		await page.keyboard.press('Enter');
	} else await reviewLink.click();
	await expect(page).toHaveURL(/\/review$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Review' })).toBeVisible();
	await expect(reviewLink).toHaveAttribute('aria-current', 'page');
	// The header wraps rather than overflowing (the no-js project is a 375 px phone).
	expect(
		await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
	).toBeLessThanOrEqual(0);

	// Nothing is due yet: a missed question comes back the next day.
	await page.goto('/dashboard');
	await expect(page.getByText('0 cards due today')).toBeVisible();

	const sql = database();
	try {
		// A day passes for the missed card.
		const moved = await sql`
			update review_cards set due_at = now() - interval '1 minute'
			where item_key = 'quiz:basics-quiz:warm-first'
				and user_id = (select id from users where email = ${email})
			returning id`;
		expect(moved).toHaveLength(1);

		await page.goto('/dashboard');
		await expect(page.getByText('1 card due today')).toBeVisible();
		await expect(page.getByText('Streak: 0 days')).toBeVisible();
		await page.getByRole('link', { name: 'Review now' }).click();
		await expect(page).toHaveURL(/\/review$/);
		if (js) await expectNoAxeViolations(page);
		const card = page.getByRole('group', { name: 'Review card' });
		await expect(card.getByText('before putting the leaves in')).toBeVisible();
		if (js) {
			// Keyboard: 1 picks the first choice, Enter checks.
			await page.locator('body').press('1');
			await expect(card.getByLabel('Warm the pot')).toBeChecked();
			await page.keyboard.press('Enter');
		} else {
			await card.getByLabel('Warm the pot').check();
			await page.getByRole('button', { name: 'Check my answer' }).click();
		}
		await expect(page.getByText('Right.')).toBeVisible();
		await expect(page.getByText('Next review of this card:')).toBeVisible();
		if (js) await expectNoAxeViolations(page);
		const [after] = await sql`
			select due_at from review_cards
			where item_key = 'quiz:basics-quiz:warm-first'
				and user_id = (select id from users where email = ${email})`;
		expect(new Date(after!.due_at as string).getTime()).toBeGreaterThan(Date.now() + 86_400_000);

		// The review is finished for today: the streak starts.
		await page.getByRole('link', { name: 'Next card' }).click();
		await expect(page.getByText('All done for today')).toBeVisible();
		await page.goto('/dashboard');
		await expect(page.getByText('0 cards due today')).toBeVisible();
		await expect(page.getByText('Streak: 1 day')).toBeVisible();
		await expect(page.getByRole('list', { name: 'Review in the last 30 days' })).toBeVisible();
	} finally {
		await sql.end();
	}

	// A coach (made with the admin CLI) builds a team; the athlete joins; the coach sees the counts.
	const coachEmail = uniqueEmail(testInfo, 'coach');
	const coachCtx = await browser.newContext(
		js ? {} : { javaScriptEnabled: false, viewport: { width: 375, height: 740 } }
	);
	const coach = await coachCtx.newPage();
	await signUp(coach, `Coach Kim ${testInfo.project.name}`, coachEmail);
	expect(adminCli(['set-role', '--email', coachEmail, '--role', 'coach']).status).toBe(0);
	await coach.goto('/coach');
	await coach.getByLabel('Team name').fill('Review Club');
	await coach.getByRole('button', { name: 'Create team' }).click();
	await expect(coach.getByRole('heading', { level: 1, name: 'Review Club' })).toBeVisible();
	await openSection(coach, 'Invitations');
	await coach.getByRole('button', { name: 'Create invitation link' }).click();
	const link = (await coach.locator('code.link').first().textContent())!;
	await page.goto(link);
	await page.getByRole('button', { name: 'Accept and join Review Club' }).click();
	await expect(page).toHaveURL(/\/dashboard\?joined=1$/);
	await openSection(coach, 'Progress');
	await coach.getByRole('link', { name }).first().click();
	const review = coach.getByRole('region', { name: 'Spaced review' });
	await expect(review.getByText(`${name} is keeping up with review.`)).toBeVisible();
	await expect(review).toContainText('Cards reviewed in the last 7 days');
	// Counts only: nothing of the answer.
	await expect(coach.getByText('Warm the pot')).toHaveCount(0);
	if (js) await expectNoAxeViolations(coach);
	await coachCtx.close();
});
