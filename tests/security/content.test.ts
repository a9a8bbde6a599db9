// Safe rendering (SECURITY.md promise 7, the Content rows), in Chromium with JavaScript on:
// hostile lesson Markdown and hostile names run nothing, and names show as the text typed, on
// every page that shows them, above all the coach's and the admin's.
import type { Browser, Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, signUp, type Account } from './support/client';
import { contextOf, launchBrowser } from './support/browser';
import { openSql, setRole, userId } from './support/database';
import { completeFixtureCourse } from './support/quiz';
import { createTeam, invite } from './support/teams';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
let browser: Browser;

const LEARNER_NAME = `<img src=x onerror=alert('name')><script>alert(2)</script>`;
const COACH_NAME = `"><svg onload=alert('coach')>`;

let learner: Account;
let coach: Account;
let admin: Account;
let teamId: string;
let athleteId: string;
let code: string;
let verifyCode: string;

beforeAll(async () => {
	browser = await launchBrowser();
	learner = await signUp(base, LEARNER_NAME, 'xss');
	coach = await signUp(base, COACH_NAME, 'xss-coach');
	await setRole(sql, coach.email, 'coach');
	admin = await signUp(base, 'Admin', 'xss-admin');
	await setRole(sql, admin.email, 'admin');
	// The coach and the admin choose a time zone first; the learner's browser sends its own on
	// the first page it opens (whose answer must be read, or the page never goes quiet).
	for (const who of [coach, admin])
		expect(
			(await who.client.post('/account?/timeZone', { timeZone: 'Europe/London' })).status
		).toBe(303);
	teamId = await createTeam(coach.client, `<i>team</i>`);
	code = await invite(coach.client, sql, teamId);
	expect((await learner.client.post(`/join/${code}?/accept`)).status).toBe(303);
	expect(
		(await coach.client.post(`/coach/teams/${teamId}?/assign`, { course: 'fixture-course' })).status
	).toBe(303);
	const certificateId = await completeFixtureCourse(learner.client);
	const [row] = await sql`select code from certificates where id = ${certificateId}`;
	verifyCode = row!.code as string;
	athleteId = await userId(sql, learner.email);
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await sql.end();
});

/** A page per visitor, reused across visits; records any dialog a script opens. */
const tabs = new Map<Client | null, { page: Page; dialogs: string[] }>();
async function visit(who: Client | null, path: string) {
	let tab = tabs.get(who);
	if (!tab) {
		const context = who ? await contextOf(browser, who) : await browser.newContext();
		tab = { page: await context.newPage(), dialogs: [] };
		const dialogs = tab.dialogs;
		tab.page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		tabs.set(who, tab);
	}
	// Network idle: the app has hydrated, so anything a script would do has been done.
	const res = await tab.page.goto(base + path, { waitUntil: 'networkidle' });
	expect(res?.status(), path).toBe(200);
	return tab;
}

/** No element carries an event handler or a script URL, and no <script> was injected. */
async function expectInert(page: Page, what: string) {
	const found = await page.evaluate(() => {
		const bad: string[] = [];
		for (const el of document.querySelectorAll('*')) {
			for (const attr of el.attributes)
				if (/^on/i.test(attr.name) || /^\s*javascript:/i.test(attr.value))
					bad.push(`<${el.localName} ${attr.name}="${attr.value}">`);
			if (el.localName === 'svg' && el.closest('main') && el.querySelector('circle'))
				bad.push('<svg> from content');
			if (el.localName === 'iframe' || el.localName === 'object' || el.localName === 'embed')
				bad.push(`<${el.localName}>`);
		}
		// SvelteKit's own scripts carry the CSP nonce or come from a file; any other was injected.
		for (const s of document.querySelectorAll('script'))
			if (!s.nonce && !s.src) bad.push(`<script>${s.textContent?.slice(0, 40)}`);
		return bad;
	});
	expect(found, what).toEqual([]);
}

describe('a learner and a coach with markup for a name', () => {
	const pages = (): [string, Client | null, string, string][] => [
		['the learner’s dashboard', learner.client, '/dashboard', LEARNER_NAME],
		['the learner’s account', learner.client, '/account', LEARNER_NAME],
		['the learner’s certificates', learner.client, '/certificates', LEARNER_NAME],
		['the public verification page', null, `/verify/${verifyCode}`, LEARNER_NAME],
		['the coach’s team page', coach.client, `/coach/teams/${teamId}`, LEARNER_NAME],
		[
			'the coach’s athlete page',
			coach.client,
			`/coach/teams/${teamId}/athletes/${athleteId}`,
			LEARNER_NAME
		],
		['the admin’s users page', admin.client, '/admin/users', LEARNER_NAME],
		['the admin’s certificates page', admin.client, '/admin/certificates', LEARNER_NAME],
		['the athlete’s dashboard, naming the coach', learner.client, '/dashboard', COACH_NAME],
		['the athlete’s account, naming the coach', learner.client, '/account', COACH_NAME],
		['the invitation an athlete opens', admin.client, `/join/${code}`, COACH_NAME]
	];

	it('is shown as text on every page that shows it, and nothing runs', async () => {
		for (const [what, who, path, name] of pages()) {
			const { page, dialogs } = await visit(who, path);
			// As text, or as the value of a field (the account form).
			const shown = await page.evaluate(
				() =>
					document.body.innerText +
					[...document.querySelectorAll('input')].map((i) => i.value).join('\n')
			);
			expect(shown, what).toContain(name);
			await expectInert(page, what);
			expect(dialogs, what).toEqual([]);
		}
	});

	it('is a plain cell in the coach’s CSV, not a formula', async () => {
		const csv = await coach.client.text(`/coach/teams/${teamId}/grid.csv`);
		expect(csv).toContain('onerror');
		for (const line of csv.split('\n')) expect(line).not.toMatch(/(^|,)[=+\-@]/);
	});
});

describe('lesson Markdown with script, handlers, javascript: links and raw HTML', () => {
	it('is sanitised: the text stays, nothing runs', async () => {
		const reader = await signUp(base, 'Reader');
		expect(
			(await reader.client.post('/account?/timeZone', { timeZone: 'Europe/London' })).status
		).toBe(303);
		expect((await reader.client.post('/courses/hostile-markdown?/enrol')).status).toBe(303);
		const { page, dialogs } = await visit(reader.client, '/courses/hostile-markdown/only/payloads');
		const article = page.locator('main');
		await expect.poll(() => article.getByText('SAFE-MARKER-END').count()).toBe(1);
		await expect.poll(() => article.getByText('raw javascript link').count()).toBe(1);
		// Code spans show markup as text.
		await expect
			.poll(() => article.getByText(`<script>alert('code-span')</script>`).count())
			.toBe(1);
		await page.mouse.move(10, 10);
		await page.mouse.move(200, 300);
		await expectInert(page, 'lesson');
		expect(await article.locator('form[action*="evil"], a[href^="javascript"]').count()).toBe(0);
		expect(dialogs).toEqual([]);
	});
});
