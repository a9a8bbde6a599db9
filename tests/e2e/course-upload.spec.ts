// An admin uploads a course package in the browser, sees it checked, previews it as a learner
// (answers checked, nothing recorded), publishes it, publishes a second version and rolls back:
// with JavaScript on and off. Each project uses its own course id (the data dir is shared).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createAdmin, expectNoAxeViolations, logIn, uniqueEmail } from './helpers';
import { folderEntries, makeZip } from '../support/zip';

const fixtureDir = path.resolve('tests/fixtures/courses/fixture-course');

function readFolder(dir: string, prefix = ''): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${e.name}` : e.name;
		if (e.isDirectory()) for (const [k, v] of readFolder(dir, rel)) out.set(k, v);
		else out.set(rel, fs.readFileSync(path.join(dir, rel)));
	}
	return out;
}

function coursePackage(id: string, title: string, brokenQuiz = false): Buffer {
	const files = readFolder(fixtureDir);
	files.set(
		'course.yaml',
		Buffer.from(
			files
				.get('course.yaml')!
				.toString()
				.replace(/^id: .*$/m, `id: ${id}`)
				.replace(/^title: .*$/m, `title: ${title}`)
		)
	);
	if (brokenQuiz)
		files.set(
			'01-basics/quiz.yaml',
			Buffer.from(
				files
					.get('01-basics/quiz.yaml')!
					.toString()
					.replace(/type: single/, 'type: essay')
			)
		);
	return makeZip(folderEntries(files, `${id}/`));
}

test('an admin uploads, previews, publishes and rolls back a course', async ({
	page
}, testInfo) => {
	test.setTimeout(120_000);
	const id = `uploaded-${testInfo.project.name}`;
	const email = uniqueEmail(testInfo, 'author');
	createAdmin(email, 'Course Author');
	await logIn(page, email);
	await expect(page).toHaveURL(/\/dashboard$/);

	await page.goto('/admin/courses');
	await expect(page.getByRole('cell', { name: /Brewing a pot of tea/ })).toBeVisible();
	if (testInfo.project.name === 'js') await expectNoAxeViolations(page);

	// A package that fails the check is stored with its messages, and offers no publish.
	await page.getByLabel('Course package').setInputFiles({
		name: 'broken.zip',
		mimeType: 'application/zip',
		buffer: coursePackage(id, 'Broken upload', true)
	});
	await page.getByRole('button', { name: 'Upload and check' }).click();
	await expect(page.getByRole('heading', { name: `Uploaded course ${id}` })).toBeVisible();
	await expect(page.getByText('Did not pass the check')).toBeVisible();
	await expect(page.getByText(/01-basics\/quiz\.yaml:\d+:/)).toBeVisible();
	await expect(page.getByRole('button', { name: /Publish/ })).toHaveCount(0);

	// A good package: preview it, answer a quiz, publish it.
	await page.goto('/admin/courses');
	await page.getByLabel('Course package').setInputFiles({
		name: 'course.zip',
		mimeType: 'application/zip',
		buffer: coursePackage(id, 'Uploaded title one')
	});
	await page.getByRole('button', { name: 'Upload and check' }).click();
	await expect(page.getByText('Uploaded as version 2')).toBeVisible();
	await page.getByRole('link', { name: 'Preview version 2 as a learner' }).click();
	await expect(page.getByRole('heading', { name: 'Preview: Uploaded title one' })).toBeVisible();
	const quiz = page.locator('section').first();
	await quiz.getByRole('button', { name: /Check answers/ }).click();
	await expect(page.getByText('Not answered.').first()).toBeVisible();
	// The lesson's diagram comes from this version, before it is published.
	const image = page.locator('img[src*="/preview/2/media/"]').first();
	const src = await image.getAttribute('src');
	expect((await page.request.get(src!)).status()).toBe(200);
	// The preview is not the course: learners cannot reach it until it is published.
	expect((await page.request.get(`/courses/${id}`)).status()).toBe(404);

	await page.goto(`/admin/courses/${id}`);
	await page.getByRole('button', { name: 'Publish version 2' }).click();
	await expect(page.getByText('Version 2 is published')).toBeVisible();
	await page.goto(`/courses/${id}`);
	await expect(page.getByRole('heading', { name: 'Uploaded title one' })).toBeVisible();

	// A second version, published; then roll back to the first.
	await page.goto('/admin/courses');
	await page.getByLabel('Course package').setInputFiles({
		name: 'course.zip',
		mimeType: 'application/zip',
		buffer: coursePackage(id, 'Uploaded title two')
	});
	await page.getByRole('button', { name: 'Upload and check' }).click();
	await page.getByRole('button', { name: 'Publish version 3' }).click();
	await page.goto(`/courses/${id}`);
	await expect(page.getByRole('heading', { name: 'Uploaded title two' })).toBeVisible();
	await page.goto(`/admin/courses/${id}`);
	await page.getByRole('button', { name: 'Roll back to version 2' }).click();
	await expect(page.getByText('Version 2 is published')).toBeVisible();
	await page.goto(`/courses/${id}`);
	await expect(page.getByRole('heading', { name: 'Uploaded title one' })).toBeVisible();

	// The list shows the uploaded course with its source and published package.
	await page.goto('/admin/courses');
	const row = page.getByRole('row', { name: new RegExp(id) });
	await expect(row).toContainText('uploaded');
	await expect(row).toContainText('package 2 published; latest upload 3');
});

test('an upload with the id of a file course is refused with a message', async ({
	page
}, testInfo) => {
	const email = uniqueEmail(testInfo, 'author');
	createAdmin(email, 'Course Author');
	await logIn(page, email);
	await expect(page).toHaveURL(/\/dashboard$/);
	await page.goto('/admin/courses');
	await page.getByLabel('Course package').setInputFiles({
		name: 'course.zip',
		mimeType: 'application/zip',
		buffer: coursePackage('fixture-course', 'Impostor')
	});
	await page.getByRole('button', { name: 'Upload and check' }).click();
	await expect(page.getByRole('alert')).toContainText('comes from files in courses/');
});
