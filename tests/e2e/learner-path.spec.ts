// A learner's way through the real course: catalogue, overview, enrolment, lessons, progress,
// and coming back later through the dashboard or the overview.
import { expect, test, type Page } from '@playwright/test';
import {
	expectNoAxeViolations,
	JS_ONLY,
	logIn,
	logOut,
	PASSWORD,
	signUp,
	uniqueEmail
} from './helpers';

const COURSE = '/courses/hip-flexor-pain';
const TITLE = 'Hip flexor and psoas pain in runners';
const LESSONS = [
	{ url: `${COURSE}/anatomy/meet-the-hip-flexors`, title: 'Meet the hip flexors' },
	{ url: `${COURSE}/anatomy/what-the-hip-flexors-do`, title: 'What the hip flexors do' },
	{ url: `${COURSE}/anatomy/nerves-and-neighbours`, title: 'Nerves and neighbours' }
];
const DISCLAIMER = 'Educational content, not a diagnosis';

const urlOf = (path: string) => new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** The "N% done" figure next to the course progress bar on the page. */
async function percentDone(page: Page): Promise<number> {
	const text = await page
		.getByText(/^\d+% done$/)
		.first()
		.textContent();
	return Number(text!.match(/^(\d+)%/)![1]);
}

/** The overview's row for one lesson (a list item with no list inside it). */
const lessonRow = (page: Page, title: string) =>
	page
		.getByRole('listitem')
		.filter({ has: page.getByRole('link', { name: title, exact: true }) })
		.filter({ hasNot: page.getByRole('list') });

async function expectLesson(page: Page, lesson: { url: string; title: string }) {
	await expect(page).toHaveURL(urlOf(lesson.url));
	await expect(page.getByRole('heading', { level: 1, name: lesson.title })).toBeVisible();
	await expect(page.getByRole('complementary', { name: 'Medical disclaimer' })).toContainText(
		DISCLAIMER
	);
}

async function enrol(page: Page) {
	await page.goto(COURSE);
	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expectLesson(page, LESSONS[0]!);
}

test('catalogue, enrolment, lessons in order, and continuing where the learner left off', async ({
	page
}, testInfo) => {
	test.setTimeout(150_000); // eighteen lessons, each checked with axe when JavaScript is on
	const js = testInfo.project.name === 'js';
	await signUp(page, 'Path Walker', uniqueEmail(testInfo));

	await page.goto('/courses');
	await expect(page.getByRole('heading', { level: 1, name: 'Courses' })).toBeVisible();
	const card = page.getByRole('listitem').filter({
		has: page.getByRole('heading', { level: 2, name: TITLE })
	});
	await expect(card).toContainText('5 modules · 18 lessons');
	if (js) await expectNoAxeViolations(page);

	await card.getByRole('link', { name: TITLE }).click();
	await expect(page).toHaveURL(urlOf(COURSE));
	await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
	// Before enrolling, lessons are listed but not linked and there is no progress.
	await expect(page.getByRole('link', { name: LESSONS[0]!.title, exact: true })).toHaveCount(0);
	await expect(page.getByText(/% done$/)).toHaveCount(0);
	if (js) await expectNoAxeViolations(page);

	await page.getByRole('button', { name: 'Enrol and start' }).click();
	await expectLesson(page, LESSONS[0]!);

	// Enrolled, nothing done yet: 0% and a Start button to the first lesson.
	await page.goto(COURSE);
	expect(await percentDone(page)).toBe(0);
	await expect(page.getByRole('button', { name: 'Enrol and start' })).toHaveCount(0);
	await expect(lessonRow(page, LESSONS[0]!.title)).toContainText('Not started');
	await expect(page.getByRole('link', { name: 'Continue' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Start', exact: true }).click();
	await expectLesson(page, LESSONS[0]!);
	if (js) await expectNoAxeViolations(page);

	// Each "Mark as done and continue" leads to the next lesson.
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expectLesson(page, LESSONS[1]!);
	expect(await percentDone(page)).toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Mark as done and continue' }).click();
	await expectLesson(page, LESSONS[2]!);

	// A lesson already done says so instead of offering the button again.
	await page.goto(LESSONS[0]!.url);
	await expect(page.getByRole('status')).toContainText('You marked this lesson as done');
	await expect(page.getByRole('button', { name: 'Mark as done and continue' })).toHaveCount(0);

	await page.goto(COURSE);
	// Counted as lessons, quizzes and the final exam, the words the rest of the site uses.
	expect(await percentDone(page)).toBe(8);
	await expect(
		page.getByText('2 of 18 lessons done · 0 of 5 quizzes passed · final exam not passed yet.')
	).toBeVisible();
	await expect(lessonRow(page, LESSONS[0]!.title)).toContainText('Done');
	await expect(lessonRow(page, LESSONS[1]!.title)).toContainText('Done');
	await expect(lessonRow(page, LESSONS[2]!.title)).toContainText('Not started');
	await expect(page.getByText('In progress', { exact: true })).toHaveCount(1);

	// Leave, then come back through the dashboard.
	await page.goto('/dashboard');
	const entry = page.getByRole('listitem').filter({
		has: page.getByRole('heading', { level: 3, name: TITLE })
	});
	await expect(entry).toContainText('8% done');
	await expect(entry).toContainText(`Next: ${LESSONS[2]!.title}`);
	await entry.getByRole('link', { name: 'Continue' }).click();
	await expectLesson(page, LESSONS[2]!);

	// The catalogue and the overview offer the same next lesson.
	await page.goto('/courses');
	await expect(page.getByRole('link', { name: 'Continue' })).toHaveAttribute(
		'href',
		LESSONS[2]!.url
	);
	await page.goto(COURSE);
	await expect(page.getByText(`Next: ${LESSONS[2]!.title}`)).toBeVisible();
	await page.getByRole('link', { name: 'Continue', exact: true }).click();
	await expectLesson(page, LESSONS[2]!);
});

// A learner's first page saves the browser's time zone in the background, then reloads the
// page's data. A click that starts a navigation before that save returns must still land: a reload
// begun mid-navigation would cancel it (seen with two workers, where the save answered late).
test(
	"enrolling while the browser's time zone is still being saved lands on the first lesson",
	{ tag: JS_ONLY },
	async ({ page }, testInfo) => {
		const isZoneSave = (url: URL) => url.pathname === '/account' && url.search === '?/timeZone';
		let onCourse = false;
		let enrolAnswered!: () => void;
		const enrolDone = new Promise<void>((resolve) => (enrolAnswered = resolve));
		let zoneAnswered!: () => void;
		const zoneDone = new Promise<void>((resolve) => (zoneAnswered = resolve));
		// Until the course page, no save gets through, so the zone is still unset there; its save
		// then answers only after the enrolment has.
		await page.route(isZoneSave, async (route) => {
			if (!onCourse) return route.abort();
			await enrolDone;
			await route.fulfill({ response: await route.fetch() });
			zoneAnswered();
		});
		// The first lesson's data is held until the save has answered: the reload after it starts
		// while the navigation to the lesson is still loading.
		await page.route(
			(url) => url.pathname === `${LESSONS[0]!.url}/__data.json`,
			async (route) => {
				await zoneDone;
				await new Promise((resolve) => setTimeout(resolve, 300));
				await route.continue();
			}
		);
		await signUp(page, 'Quick Clicker', uniqueEmail(testInfo));
		onCourse = true;
		await page.goto(COURSE);
		const enrolment = page.waitForResponse((r) => r.url().endsWith('?/enrol'));
		await page.getByRole('button', { name: 'Enrol and start' }).click();
		await enrolment;
		enrolAnswered();
		await zoneDone;
		await expectLesson(page, LESSONS[0]!);
	}
);

test('a lesson of a course the learner is not enrolled in leads to its overview', async ({
	page,
	baseURL
}, testInfo) => {
	await signUp(page, 'Not Enrolled', uniqueEmail(testInfo));
	await page.goto(LESSONS[1]!.url);
	await expect(page).toHaveURL(urlOf(COURSE));
	await expect(page.getByRole('button', { name: 'Enrol and start' })).toBeVisible();
	await expect(page.getByText(DISCLAIMER)).toHaveCount(0);
	// Posting "done" straight to the lesson is turned away too, and enrols no one.
	const done = await page.request.post(`${LESSONS[1]!.url}?/done`, {
		headers: { origin: baseURL!, accept: 'text/html' },
		form: {},
		maxRedirects: 0
	});
	expect(done.status()).toBe(303);
	expect(done.headers()['location']).toBe(COURSE);
	await page.goto('/dashboard');
	await expect(page.getByRole('heading', { name: 'Start your first course' })).toBeVisible();
});

test('an unknown lesson, module or course is a 404 page', async ({ page }, testInfo) => {
	await signUp(page, 'Lost Learner', uniqueEmail(testInfo));
	await enrol(page);
	for (const [path, message] of [
		[`${COURSE}/anatomy/no-such-lesson`, 'Lesson not found'],
		[`${COURSE}/no-such-module/meet-the-hip-flexors`, 'Lesson not found'],
		// A lesson that exists, but in another module.
		[`${COURSE}/causes/meet-the-hip-flexors`, 'Lesson not found'],
		['/courses/no-such-course/anatomy/meet-the-hip-flexors', 'Course not found'],
		['/courses/no-such-course', 'Course not found']
	] as const) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(page.getByText(message)).toBeVisible();
		await expect(page.getByText(DISCLAIMER)).toHaveCount(0);
	}
});

test('a logged-out visitor is sent to log in, then back to the lesson', async ({
	page
}, testInfo) => {
	const email = uniqueEmail(testInfo);
	await signUp(page, 'Come Back', email);
	await enrol(page);
	await logOut(page);
	await page.goto(LESSONS[0]!.url);
	await expect(page).toHaveURL(
		new RegExp(`/login\\?redirectTo=${encodeURIComponent(LESSONS[0]!.url)}$`)
	);
	await expect(page.getByText(DISCLAIMER)).toHaveCount(0);
	await logIn(page, email, PASSWORD, false);
	await expectLesson(page, LESSONS[0]!);
});

test('the overview is public and invites a visitor to sign up', async ({ page }, testInfo) => {
	await page.goto(COURSE);
	await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Sign up to start' })).toHaveAttribute(
		'href',
		`/signup?redirectTo=${COURSE}`
	);
	await expect(page.getByRole('button', { name: 'Enrol and start' })).toHaveCount(0);
	if (testInfo.project.name === 'js') await expectNoAxeViolations(page);
});

test('a lesson fits a 375 px phone screen and passes axe', async ({ page }, testInfo) => {
	await page.setViewportSize({ width: 375, height: 740 });
	await signUp(page, 'Small Screen', uniqueEmail(testInfo));
	await enrol(page);
	// The first lesson has images and a list of objectives; the third has the longest words.
	for (const lesson of [LESSONS[0]!, LESSONS[2]!]) {
		await page.goto(lesson.url);
		await expectLesson(page, lesson);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow, `${lesson.url} scrolls sideways`).toBeLessThanOrEqual(0);
		if (testInfo.project.name === 'js') await expectNoAxeViolations(page);
	}
	await page.goto(COURSE);
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow, 'the overview scrolls sideways').toBeLessThanOrEqual(0);
	if (testInfo.project.name === 'js') await expectNoAxeViolations(page);
});
