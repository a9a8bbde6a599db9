// The coach's season against the production build: a person asks to become a coach and an admin
// approves it, the coach creates a team, an athlete joins by link, the coach assigns the hip
// flexor course with a due date, the athlete finishes module 1, and the coach sees it in the
// grid, the question view, the athlete view and the CSV. Then (once, over HTTP) a second coach
// and a second athlete against every coach URL and action: 404, nothing changed.
import fs from 'node:fs';
import postgres from 'postgres';
import { parse } from 'yaml';
import { runningServerUrl } from '../../src/lib/server/db/embedded';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import {
	openSection,
	choiceValues,
	expectNoAxeViolations,
	logIn,
	signUp,
	uniqueEmail,
	createAdmin
} from './helpers';

const COURSE = '/courses/hip-flexor-pain';
const QUIZ = `${COURSE}/anatomy/quiz`;
const LESSONS = ['meet-the-hip-flexors', 'what-the-hip-flexors-do', 'nerves-and-neighbours'];
const TITLE = 'Hip flexor and psoas pain in runners';

interface QuestionFile {
	id: string;
	type: string;
	answer?: unknown;
	options?: { text: string; correct?: boolean }[];
}
const quiz = parse(fs.readFileSync('courses/hip-flexor-pain/01-anatomy/quiz.yaml', 'utf8')) as {
	questions: QuestionFile[];
};

const isJs = (t: TestInfo) => t.project.name === 'js';
const context = (browser: Browser, t: TestInfo) =>
	browser.newContext(
		isJs(t) ? {} : { javaScriptEnabled: false, viewport: { width: 375, height: 740 } }
	);

function post(page: Page, url: string, form: [string, string][] = []) {
	return page.request.post(url, {
		headers: {
			origin: new URL(page.url()).origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		data: new URLSearchParams(form).toString(),
		maxRedirects: 0
	});
}

/** Lessons done and the quiz passed over HTTP, every question right but the matching one. */
async function finishModuleOne(page: Page) {
	for (const lesson of LESSONS)
		expect((await post(page, `${COURSE}/anatomy/${lesson}?/done`)).status()).toBe(303);
	expect((await post(page, `${QUIZ}?/start`)).status()).toBe(303);
	const values = await choiceValues(page, QUIZ);
	const form: [string, string][] = [];
	for (const q of quiz.questions) {
		form.push(['shown', q.id]);
		for (const o of q.options?.filter((o) => o.correct) ?? [])
			form.push([`q.${q.id}`, values.get(`q.${q.id}`)!.get(o.text)!]);
		if (q.type === 'numeric' || q.type === 'truefalse') form.push([`q.${q.id}`, String(q.answer)]);
	}
	// The matching question is left blank on purpose, confirmed as the page asks.
	form.push(['confirm', 'unanswered']);
	const submitted = await post(page, `${QUIZ}?/submit`, form);
	expect(submitted.status()).toBe(303);
}

test('a coach is approved, builds a team and follows it', async ({ page, browser }, testInfo) => {
	test.setTimeout(360_000); // a CLI process, five people and a module of the real course
	const js = isJs(testInfo);
	// Both projects share one server: names carry the project so admins' lists stay unambiguous.
	const coachName = `Coach Carla ${testInfo.project.name}`;
	const otherName = `Other Coach ${testInfo.project.name}`;
	const note = `The Harriers under-18 squad (${testInfo.project.name})`;
	const adminEmail = uniqueEmail(testInfo, 'admin');
	createAdmin(adminEmail, 'Head Admin');

	// Two people ask to coach; the second is the stranger coach of the enumeration below.
	const coachEmail = uniqueEmail(testInfo, 'coach');
	await signUp(page, coachName, coachEmail);
	await page.goto('/account');
	await page.getByLabel('Whom do you coach?').fill(note);
	await page.getByRole('button', { name: 'Ask to become a coach' }).click();
	await expect(page.getByText('is waiting for an administrator')).toBeVisible();
	const strangerCtx = await context(browser, testInfo);
	const stranger = await strangerCtx.newPage();
	await signUp(stranger, otherName, uniqueEmail(testInfo, 'other'));
	await stranger.goto('/account');
	await stranger.getByLabel('Whom do you coach?').fill('Another club');
	await stranger.getByRole('button', { name: 'Ask to become a coach' }).click();
	await expect(stranger.getByText('is waiting for an administrator')).toBeVisible();

	const adminCtx = await context(browser, testInfo);
	const admin = await adminCtx.newPage();
	await logIn(admin, adminEmail);
	await expect(admin).toHaveURL(/\/dashboard$/);
	await admin.goto('/admin');
	await admin.getByRole('link', { name: 'Coach requests' }).click();
	await expect(admin.getByText(note)).toBeVisible();
	if (js) await expectNoAxeViolations(admin);
	await admin.getByRole('button', { name: `Approve ${coachName}`, exact: true }).click();
	await expect(admin.getByRole('status')).toContainText('Approved');
	await admin.getByRole('button', { name: `Approve ${otherName}`, exact: true }).click();
	await expect(admin.getByRole('status')).toContainText('Approved');
	await expect(
		admin
			.getByRole('row')
			.filter({ hasText: coachEmail })
			.getByRole('cell', { name: 'coach', exact: true })
	).toBeVisible();

	await page.goto('/account');
	await expect(
		page.getByText(/Your request to become a coach was approved on \d{1,2} [A-Z][a-z]{2} \d{4}\./)
	).toBeVisible();

	// The team and its invitation link.
	await page.goto('/coach');
	await page.getByLabel('Team name').fill('Harriers U18');
	await page.getByRole('button', { name: 'Create team' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Harriers U18' })).toBeVisible();
	const teamUrl = page.url();
	await openSection(page, 'Invitations');
	await page.getByRole('button', { name: 'Create invitation link' }).click();
	const link = (await page.locator('code.link').first().textContent())!;

	const athleteCtx = await context(browser, testInfo);
	const athlete = await athleteCtx.newPage();
	await signUp(athlete, 'Ada Athlete', uniqueEmail(testInfo, 'ada'));
	await athlete.goto(link);
	await expect(athlete.getByText(coachName).first()).toBeVisible();
	await expect(athlete.getByText('your quiz and exam attempts')).toBeVisible();
	await athlete.getByRole('button', { name: 'Accept and join Harriers U18' }).click();
	await expect(athlete).toHaveURL(/\/dashboard\?joined=1$/);

	// Assign with a due date; the athlete is enrolled and finishes module 1.
	await page.goto(teamUrl);
	await openSection(page, 'Assignments');
	await page.getByLabel('Course', { exact: true }).selectOption({ label: TITLE });
	await page.getByLabel('Due date (optional)').fill('2031-06-30');
	await page.getByLabel('Note for the athletes (optional)').fill('Before the cross-country block');
	await page.getByRole('button', { name: 'Assign the course' }).click();
	await expect(page.locator('.notice.success')).toContainText('Course assigned');
	await athlete.goto('/dashboard');
	await expect(athlete.getByText(`Assigned by ${coachName}`)).toBeVisible();
	await finishModuleOne(athlete);

	// The grid: state as text, sortable and filterable by links.
	await page.goto(teamUrl);
	const row = page.getByRole('row').filter({ hasText: 'Ada Athlete' });
	await expect(page.getByText('Showing 1 of 1 athlete.')).toBeVisible();
	await expect(row.getByRole('cell').first()).toHaveText(/^In progress, \d+%$/);
	await page.getByRole('link', { name: 'Not started', exact: true }).click();
	await expect(page.getByText('No athlete matches this filter.')).toBeVisible();
	await page.getByRole('link', { name: 'Everyone' }).click();
	// The next link is built from the current view: wait for this one to land first.
	await expect(row).toBeVisible();
	await page.getByRole('link', { name: /^Latest quiz score/ }).click();
	await expect(page).toHaveURL(/sort=score/);
	await expect(page.getByRole('columnheader', { name: /Latest quiz score/ })).toHaveAttribute(
		'aria-sort',
		'ascending'
	);
	await expect(row).toContainText('88%');
	// The coach reads times in their own zone: Tokyo's (no summer time, nine hours ahead of UTC).
	// A due day is the end of that day in the coach's zone, so the day they pick is the day they
	// read back (stored as the end of a UTC day, 15 Jul read "due 16 Jul" in Tokyo).
	await page.goto('/account');
	await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
	await page.getByRole('button', { name: 'Save time zone' }).click();
	await expect(page.getByText('Saved. Times are now shown in Asia/Tokyo.')).toBeVisible();
	await page.goto(teamUrl);

	// The due date moves.
	await openSection(page, 'Assignments');
	await page.getByLabel(`Due date for ${TITLE}`).fill('2031-07-15');
	await page.getByRole('button', { name: 'Change due date' }).click();
	await expect(page.locator('.notice.success')).toContainText('Due date changed');
	await expect(page.getByText('due 15 Jul 2031')).toBeVisible();
	await expect(page.getByLabel(`Due date for ${TITLE}`)).toHaveValue('2031-07-15');
	if (js) await expectNoAxeViolations(page);

	const csv = await page.request.get(`${teamUrl}/grid.csv`);
	const body = await csv.text();
	expect(body.charCodeAt(0)).toBe(0xfeff);
	expect(body).toMatch(/"Ada Athlete","In progress, \d+%","88%"/);

	// The question view: the matching question nobody answered is the hardest.
	await openSection(page, 'Progress');
	await page.getByRole('link', { name: 'Which questions the team finds hardest' }).click();
	const first = page.getByRole('main').getByRole('listitem').first();
	await expect(first).toContainText('0% right at the first attempt (0 of 1)');
	await expect(first).toContainText('Most chosen wrong answer: No answer');
	await expect(page.getByText('100% right at the first attempt (1 of 1)').first()).toBeVisible();
	if (js) await expectNoAxeViolations(page);

	// The athlete view: modules, the attempt's review as the athlete sees it, extra time.
	await page.goto(teamUrl);
	await page.getByRole('link', { name: 'Ada Athlete' }).first().click();
	await expect(page.getByText(/Anatomy.*: Done/)).toBeVisible();
	await expect(page.getByText('Certificate: not earned yet')).toBeVisible();
	await expect(page.getByRole('main')).toContainText(
		'Anatomy and function quiz, attempt 1: 88% (passed)'
	);
	// When it was submitted, in the coach's zone and named so; the exact moment kept for machines.
	const attempt = page.getByRole('main').locator('summary').first();
	const submittedAt = (await attempt.locator('time').getAttribute('datetime'))!;
	expect(submittedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	expect(Math.abs(Date.parse(submittedAt) - Date.now())).toBeLessThan(30 * 60_000);
	const inTokyo = new Intl.DateTimeFormat('en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: 'Asia/Tokyo'
	}).format(new Date(submittedAt));
	await expect(attempt.locator('time')).toHaveText(inTokyo);
	await expect(attempt).toContainText(`(passed) · ${inTokyo} (Tokyo time)`);
	await expect(attempt).not.toContainText('UTC');
	await page.getByLabel('Extra time (percent)').fill('lots');
	await page.getByRole('button', { name: 'Save extra time' }).click();
	await expect(page.getByText('Enter a whole number of percent')).toBeVisible();
	await page.getByLabel('Extra time (percent)').fill('25');
	await page.getByRole('button', { name: 'Save extra time' }).click();
	await expect(page.locator('.notice.success')).toContainText('Saved');
	if (js) await expectNoAxeViolations(page);
	const athleteUrl = page.url().split('?')[0]!;
	await athlete.goto('/account');
	// The team's extra time, for the courses that team assigned (not site-wide).
	await expect(
		athlete.getByText(/gives you 25% extra time on the courses it assigned you\./)
	).toBeVisible();

	if (js) {
		await page.goto('/coach');
		await expectNoAxeViolations(page);
		await page.goto('/account');
		await expectNoAxeViolations(page);
	}

	if (js) {
		// Every coach URL and action of this team, as the other coach and as a second athlete.
		const assignmentId = await page
			.goto(`${teamUrl}?section=assignments`)
			.then(() => page.locator('form[action$="/withdraw"] input[name="id"]').inputValue());
		const invitationId = await page
			.goto(`${teamUrl}?section=invitations`)
			.then(() => page.locator('form[action$="/revoke"] input[name="id"]').first().inputValue());
		const athleteId = athleteUrl.split('/').pop()!;
		const athlete2Ctx = await context(browser, testInfo);
		const athlete2 = await athlete2Ctx.newPage();
		await signUp(athlete2, 'Second Athlete', uniqueEmail(testInfo, 'second'));
		await stranger.goto('/coach');
		const pages = [
			teamUrl,
			...['assignments', 'invitations', 'coaches', 'settings'].map(
				(s) => `${teamUrl}?section=${s}`
			),
			`${teamUrl}/__data.json`,
			`${teamUrl}/grid.csv`,
			`${teamUrl}/questions`,
			`${teamUrl}/questions/__data.json`,
			`${teamUrl}/assign`,
			`${teamUrl}/assign/__data.json`,
			athleteUrl,
			`${athleteUrl}/__data.json`
		];
		const actions: [string, [string, string][]][] = [
			[
				`${teamUrl}?/invite`,
				[
					['days', '7'],
					['maxUses', '5']
				]
			],
			[`${teamUrl}?/inviteEmail`, [['email', 'x@example.com']]],
			[`${teamUrl}?/revoke`, [['id', invitationId]]],
			[
				`${teamUrl}?/assign`,
				[
					['course', 'hip-flexor-pain'],
					['to', 'chosen'],
					['athlete', athleteId]
				]
			],
			[
				`${teamUrl}/assign`,
				[
					['course', 'hip-flexor-pain'],
					['to', 'chosen'],
					['athlete', athleteId]
				]
			],
			[
				`${teamUrl}?/changeDue`,
				[
					['id', assignmentId],
					['due', '2031-01-01']
				]
			],
			[`${teamUrl}?/withdraw`, [['id', assignmentId]]],
			[`${teamUrl}?/removeAssistant`, [['id', athleteId]]],
			[`${teamUrl}?/leaveAssisting`, []],
			[`${teamUrl}?/delete`, [['confirm', 'Harriers U18']]],
			[`${athleteUrl}?/accommodation`, [['extraPercent', '300']]]
		];
		for (const who of [stranger, athlete2]) {
			for (const url of pages) {
				const res = await who.request.get(url);
				const text = await res.text();
				// A data request past the role guard is answered 200 with the load's 404 inside.
				const refused = url.endsWith('__data.json') && text.includes('"status":404');
				expect(refused || res.status() === 404, url).toBe(true);
				expect(text, url).not.toContain('Ada Athlete');
			}
			for (const [url, form] of actions)
				expect((await post(who, url, form)).status(), url).toBe(404);
		}
		// Nothing changed for the coach.
		await page.goto(`${teamUrl}?section=assignments`);
		await expect(page.getByText('due 15 Jul 2031')).toBeVisible();
		await page.goto(`${teamUrl}?section=invitations`);
		await expect(page.getByRole('button', { name: 'Revoke this invitation' })).toBeVisible();
		await page.goto(athleteUrl);
		await expect(
			page.getByText(/Now: 25% extra time on the courses this\s+team assigned/)
		).toBeVisible();
		await athlete2Ctx.close();
	}
	await Promise.all([strangerCtx.close(), adminCtx.close(), athleteCtx.close()]);
});

test('a big team’s grid comes a page at a time, with links that work without JavaScript', async ({
	page
}, testInfo) => {
	test.setTimeout(90_000); // the admin CLI starts a Node process
	const coachEmail = uniqueEmail(testInfo, 'big-coach');
	createAdmin(coachEmail, 'Big Team Coach');
	await logIn(page, coachEmail);
	await expect(page).toHaveURL(/\/dashboard$/);
	await page.goto('/coach');
	await page.getByLabel('Team name').fill(`Big club ${testInfo.project.name}`);
	await page.getByRole('button', { name: 'Create team' }).click();
	await expect(page).toHaveURL(/\/coach\/teams\/[0-9a-f-]+$/);
	const teamId = page.url().split('/').at(-1)!;

	// Sixty athletes join (written straight to the database: signing each up through the browser
	// would only test sign-up sixty times).
	const sql = postgres(runningServerUrl(process.env.E2E_DATA_DIR!)!, {
		max: 1,
		onnotice: () => {}
	});
	try {
		const tag = `${testInfo.project.name}-${Date.now()}`;
		const athletes = Array.from({ length: 60 }, (_, i) => ({
			name: `Athlete ${String(i + 1).padStart(2, '0')}`,
			email: `big-${tag}-${i}@example.com`,
			password_hash: 'not-a-hash'
		}));
		const ids = await sql<{ id: string }[]>`insert into users ${sql(athletes)} returning id`;
		await sql`insert into team_members ${sql(ids.map(({ id }) => ({ team_id: teamId, user_id: id })))}`;
		// Athlete 01 has finished the course the coach is about to assign.
		await sql`insert into enrolments (user_id, course_id, course_version, enrolled_at, completed_at)
			values (${ids[0]!.id}, 'hip-flexor-pain', 1, '2031-03-01T12:00:00Z', '2031-03-14T12:00:00Z')`;
	} finally {
		await sql.end();
	}
	await page.reload();
	await openSection(page, 'Assignments');
	await page.getByLabel('Course', { exact: true }).selectOption({ label: TITLE });
	await page.getByRole('button', { name: 'Assign the course' }).click();
	await expect(page).toHaveURL(/saved=assigned/);
	await openSection(page, 'Progress');

	const grid = page.getByRole('region', { name: 'Progress table' });
	await expect(page.getByText('Showing 1–50 of 60 athletes.')).toBeVisible();
	await expect(grid.locator('tbody tr')).toHaveCount(50);
	await expect(grid.getByRole('link', { name: 'Athlete 01' })).toBeVisible();
	// Days read as the rest of the site writes them, the exact moment kept for machines.
	const first = grid
		.getByRole('row')
		.filter({ has: page.getByRole('link', { name: 'Athlete 01' }) });
	await expect(first.getByRole('cell').first()).toHaveText('Completed 14 Mar 2031');
	await expect(first.getByRole('cell').last()).toHaveText('14 Mar 2031');
	for (const cell of [first.getByRole('cell').first(), first.getByRole('cell').last()])
		await expect(cell.locator('time')).toHaveAttribute('datetime', '2031-03-14T12:00:00.000Z');
	// The CSV keeps ISO days, which spreadsheets read as dates.
	const csv = await (await page.request.get(`/coach/teams/${teamId}/grid.csv`)).text();
	expect(csv).toMatch(/^"?Athlete 01"?,"?Completed 2031-03-14"?,[^,\n]*,"?2031-03-14"?\r?$/m);
	const pages = page.getByRole('navigation', { name: 'Pages of the grid' });
	await pages.getByRole('link', { name: 'Next page' }).click();
	await expect(page).toHaveURL(/[?&]page=2/);
	await expect(page.getByText('Showing 51–60 of 60 athletes.')).toBeVisible();
	await expect(grid.locator('tbody tr')).toHaveCount(10);
	await expect(grid.getByRole('link', { name: 'Athlete 60' })).toBeVisible();
	await expect(pages.getByRole('link', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
	// Sorting starts again at page 1, in the new order.
	await grid
		.getByRole('link', { name: /^Athlete/ })
		.first()
		.click();
	await expect(page).not.toHaveURL(/page=/);
	await expect(grid.locator('tbody tr').first()).toContainText('Athlete 60');
	if (isJs(testInfo)) await expectNoAxeViolations(page);

	// Chosen athletes are ticked on a page of their own (the team page would carry 60 checkboxes).
	await openSection(page, 'Assignments');
	await page.getByRole('link', { name: 'choose the athletes' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Assign a course to chosen athletes'
	);
	await page.getByLabel('Course', { exact: true }).selectOption({ label: TITLE });
	await page.getByRole('button', { name: 'Assign to the ticked athletes' }).click();
	await expect(page.getByText('Tick at least one athlete.')).toBeVisible();
	if (isJs(testInfo)) await expectNoAxeViolations(page);
	// A form refused for another reason (a course withdrawn meanwhile) comes back with its ticks.
	const id03 = (await page.getByLabel('Athlete 03', { exact: true }).getAttribute('value'))!;
	const refused = await post(page, page.url(), [
		['course', 'withdrawn-course'],
		['to', 'chosen'],
		['athlete', id03]
	]);
	expect(refused.status()).toBe(400);
	const refusedHtml = await refused.text();
	expect(refusedHtml).toContain('Choose a course from the list.');
	expect(refusedHtml).toMatch(new RegExp(`value="${id03}"[^>]*checked`));
	for (let i = 1; i <= 12; i++)
		await page.getByLabel(`Athlete ${String(i).padStart(2, '0')}`, { exact: true }).check();
	await page.getByRole('button', { name: 'Assign to the ticked athletes' }).click();
	await expect(page).toHaveURL(/saved=assigned/);
	await expect(page.locator('.notice.success')).toContainText('Course assigned');
	// Ten names, then a count; the grid's new column says who it is not for.
	await expect(
		page.getByText('for Athlete 01, Athlete 02, Athlete 03, Athlete 04, Athlete 05', {
			exact: false
		})
	).toContainText('Athlete 10 and 2 more');
	await openSection(page, 'Progress');
	const cellOf = (name: string) =>
		grid.getByRole('row').filter({ hasText: name }).getByRole('cell').nth(1);
	await expect(cellOf('Athlete 12')).toHaveText('Not started');
	await expect(cellOf('Athlete 40')).toHaveText('Not assigned');
});
