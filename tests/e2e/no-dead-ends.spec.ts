// No dead ends and honest messages, on the small wait course (tests/fixtures/courses/wait-course:
// one lesson, a quiz with a six-second wait, a two-attempt final exam): a new learner is offered
// the course, every result offers the next step at its top, a wait counts down and the server lets
// the retry in at the second it announced, unanswered questions are confirmed first, and the course
// ends on its completion page. Only what is on screen is followed.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectNoAxeViolations, PASSWORD, signUp, uniqueEmail } from './helpers';
import { followNextStep, isJs, nextStep, question } from './fixture-course';

const COURSE = '/courses/wait-course';
const QUIZ = `${COURSE}/pause/quiz`;
const RESULT = new RegExp(`${COURSE}/attempts/[0-9a-f-]{36}$`);
const urlOf = (path: string) => new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

// The browser's zone is Tokyo: with JavaScript it becomes the learner's setting on first visit.
test.use({ timezoneId: 'Asia/Tokyo' });

/** The instant a "HH:MM:SS" in `zone` names, within the next minutes (the announced retry). */
function instantOf(clock: string, zone: string): number {
	const format = new Intl.DateTimeFormat('en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		timeZone: zone
	});
	const from = Math.floor(Date.now() / 1000) * 1000 - 10_000;
	for (let t = from; t < from + 5 * 60_000; t += 1000) if (format.format(t) === clock) return t;
	throw new Error(`No time ${clock} in ${zone} near now`);
}

async function submitQuiz(page: Page) {
	await page.getByRole('button', { name: 'Submit answers for grading' }).click();
}

async function failThenRetry(page: Page, testInfo: TestInfo) {
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	await question(page, 1).getByLabel('About forty seconds').check();
	await submitQuiz(page);
	await expect(page).toHaveURL(RESULT);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Not passed yet/);
	// The next step at the top: the lesson to review, and when to try again, in Tokyo time.
	await expect(nextStep(page).getByRole('link', { name: 'Review lesson: Steeping' })).toBeVisible();
	const timer = nextStep(page).getByRole('timer');
	// One sentence: the clock and how far off, no second countdown beside it.
	await expect(timer).toHaveText(
		/^\s*You can try again at \d\d:\d\d:\d\d Tokyo time, in \d+ (seconds?|minutes?)\.\s*$/
	);
	const tryAgain = nextStep(page).getByRole('button', { name: 'Try again' });

	if (isJs(testInfo)) {
		// A live countdown; "Try again" is enabled when it ends, without a reload.
		await expect(tryAgain).toBeDisabled();
		// The result after a fail, in both themes.
		for (const colorScheme of ['dark', 'light'] as const) {
			await page.emulateMedia({ colorScheme });
			await expectNoAxeViolations(page);
		}
		await expect(timer).toContainText('The wait is over', { timeout: 10_000 });
		await expect(tryAgain).toBeEnabled();
		await tryAgain.click();
	} else {
		const clock = (await timer.textContent())!.match(/at (\d\d:\d\d:\d\d)/)![1]!;
		const at = instantOf(clock, 'Asia/Tokyo');
		// Too early: the server says when, in the same words and the same second.
		await tryAgain.click();
		await expect(page.getByRole('alert')).toContainText(`Not yet: you can try again at ${clock}`);
		// At the announced second, the server lets the retry in.
		await page.waitForTimeout(Math.max(0, at - Date.now()));
		await page.getByRole('button', { name: 'Try again' }).click();
	}
	await expect(page).toHaveURL(urlOf(`${QUIZ}?q=1`));
	await expect(page.getByText('Attempt 2.')).toBeVisible();
}

test('a new learner is led through the course with no dead end, waits and confirms included', async ({
	page
}, testInfo) => {
	// A whole (small) course with two waits; a loaded machine needs the room.
	test.setTimeout(150_000);
	await signUp(page, 'Patient Learner', uniqueEmail(testInfo));
	// A new learner's dashboard offers the courses instead of an empty list.
	await expect(page.getByRole('heading', { name: 'Start your first course' })).toBeVisible();
	if (isJs(testInfo)) {
		await expectNoAxeViolations(page);
		// The browser's zone became the setting (saved in the background on the first page).
		await expect(async () => {
			await page.goto('/account');
			await expect(page.getByText('It is not set yet')).toHaveCount(0, { timeout: 1000 });
		}).toPass();
		await expect(page.getByLabel('Your time zone')).toHaveValue('Asia/Tokyo');
		await page.goto('/dashboard');
	} else {
		await page.goto('/account');
		await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
		await page.getByRole('button', { name: 'Save time zone' }).click();
		await expect(page.getByText('Saved. Times are now shown in Asia/Tokyo.')).toBeVisible();
		await page.goto('/dashboard');
	}
	await page.getByRole('link', { name: 'See the course Steeping time' }).click();
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expect(page.getByText('Marking a lesson as done is what counts it')).toBeVisible();
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expect(page).toHaveURL(urlOf(QUIZ));

	await failThenRetry(page, testInfo);
	await question(page, 1).getByLabel('About four minutes').check();
	await submitQuiz(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^You passed/);
	// Never "try again after…" after a pass.
	await expect(page.getByText(/try again/i)).toHaveCount(0);
	await followNextStep(page, 'Go to the final exam');

	// The exam, question 2 left blank: a confirm step that lists it and says what is at stake.
	await page.getByRole('button', { name: 'Start the final exam' }).click();
	await question(page, 1).getByLabel('No', { exact: true }).check();
	if (isJs(testInfo)) await page.getByRole('button', { name: 'Save and next' }).click();
	await submitQuiz(page);
	const confirm = page.getByRole('alert').filter({ hasText: 'You have not answered' });
	await expect(confirm).toContainText('You have not answered question 2.');
	await expect(confirm).toContainText(
		'This is attempt 1 of 2: after submitting, you will have 1 attempt left.'
	);
	await expect(confirm.getByRole('link', { name: 'Answer question 2' })).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	// The answer given is kept through the confirm step (without JavaScript, read back from the
	// server, which saved it).
	// (With JavaScript question 1 sits hidden on its own screen, hence the id, not its role.)
	await expect(page.locator('#question-1').getByLabel('No', { exact: true })).toBeChecked();
	await page.getByRole('button', { name: 'Submit anyway' }).click();
	await expect(page).toHaveURL(RESULT);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Not passed yet: the final exam'
	);
	await expect(nextStep(page)).toContainText('You have 1 attempt left.');
	await nextStep(page).getByRole('button', { name: 'Try again' }).click();

	await question(page, 1).getByLabel('Yes', { exact: true }).check();
	if (isJs(testInfo)) await page.getByRole('button', { name: 'Save and next' }).click();
	await question(page, 2).getByLabel('True').check();
	await submitQuiz(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('You passed the final exam');
	await followNextStep(page, 'You finished the course');
	await expect(page).toHaveURL(urlOf(`${COURSE}/complete`), { timeout: 15_000 });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('You finished Steeping time');
	await expect(page.getByText('Waiting well', { exact: true })).toBeVisible();
	await expect(page.getByText('This course does not award a certificate.')).toBeVisible();
});

test('a locked quiz names the lessons to mark as done, with links', async ({ page }, testInfo) => {
	await signUp(page, 'Early Bird', uniqueEmail(testInfo));
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	// Wait for the enrolment to land on the first lesson before typing the quiz's address.
	await expect(page).toHaveURL(urlOf(`${COURSE}/pause/steeping`));
	await page.goto(QUIZ);
	await expect(page.getByText('Mark these lessons as done to open it:')).toBeVisible();
	await page.getByRole('link', { name: 'Steeping', exact: true }).click();
	await expect(page).toHaveURL(urlOf(`${COURSE}/pause/steeping`));
	if (isJs(testInfo)) await expectNoAxeViolations(page);
});

test('the 404 page keeps the site header and offers a way back', async ({ page }, testInfo) => {
	const missing = await page.goto('/no-such-page');
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('banner')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	await expect(page.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute(
		'href',
		'/'
	);
	if (isJs(testInfo)) await expectNoAxeViolations(page);

	await signUp(page, 'Lost Again', uniqueEmail(testInfo));
	await page.goto('/courses/no-such-course/no-such-module/quiz');
	await expect(page.getByRole('banner')).toBeVisible();
	await page.getByRole('link', { name: 'Go to your dashboard' }).click();
	await expect(page).toHaveURL(/\/dashboard$/);
});

test('sign-up shows every problem at once', async ({ page }, testInfo) => {
	await page.goto('/signup');
	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText('Please fix these 3 things to sign up:')).toBeVisible();
	for (const field of ['Name', 'Email', 'Password'])
		await expect(page.getByLabel(field)).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('Use at least 8 characters.').first()).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	// Once fixed, the account is made.
	await page.getByLabel('Name').fill('Fixed It');
	await page.getByLabel('Email').fill(uniqueEmail(testInfo));
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/dashboard$/);
});
