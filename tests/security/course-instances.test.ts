// Uploaded courses across instances: two app processes on one PostgreSQL. A course published on
// one is served by the other within seconds (LISTEN/NOTIFY), and a roll back too; hostile or
// oversized uploads get a 400 with a message, never a 500.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, startApp, type App } from './support/app';
import { Client, logIn, signUp } from './support/client';
import { openSql, setRole } from './support/database';
import { folderEntries, makeZip } from '../support/zip';

const NAME = 'security_course_instances';
let a: App;
let b: App;
let sql: ReturnType<typeof openSql>;
let admin: Client;

function readFolder(dir: string, prefix = ''): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${e.name}` : e.name;
		if (e.isDirectory()) for (const [k, v] of readFolder(dir, rel)) out.set(k, v);
		else out.set(rel, fs.readFileSync(path.join(dir, rel)));
	}
	return out;
}
const fixture = readFolder(path.resolve('tests/fixtures/courses/fixture-course'));
function coursePackage(id: string, title: string) {
	const files = new Map(fixture);
	files.set(
		'course.yaml',
		Buffer.from(
			fixture
				.get('course.yaml')!
				.toString()
				.replace(/^id: .*$/m, `id: ${id}`)
				.replace(/^title: .*$/m, `title: ${title}`)
		)
	);
	return makeZip(folderEntries(files));
}

function upload(client: Client, name: string, bytes: Buffer) {
	const form = new FormData();
	form.set('package', new Blob([new Uint8Array(bytes)]), name);
	return client.fetch('/admin/courses?/upload', {
		method: 'POST',
		headers: { origin: client.base, accept: 'text/html' },
		body: form
	});
}
const publish = (client: Client, id: string, version: number) =>
	client.post(`/admin/courses/${id}?/publish`, { version: String(version) });

/** Waits until `app` serves the course page with this title; returns the milliseconds it took. */
async function servedTitle(app: App, id: string, title: string): Promise<number> {
	const started = Date.now();
	for (;;) {
		const res = await fetch(`${app.url}/courses/${id}`);
		if (res.status === 200 && (await res.text()).includes(title)) return Date.now() - started;
		if (Date.now() - started > 10_000) throw new Error(`${app.url} never served "${title}"`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

beforeAll(async () => {
	const postgresUrl = inject('postgresUrl');
	await createDatabase(postgresUrl, NAME);
	[a, b] = await Promise.all([
		startApp(postgresUrl, NAME, 7, {}, { existing: true }),
		startApp(postgresUrl, NAME, 8, {}, { existing: true })
	]);
	sql = openSql(a.databaseUrl);
	const account = await signUp(a.url, 'Course Author', 'author');
	await setRole(sql, account.email, 'admin');
	admin = await logIn(a.url, account.email);
}, 180_000);

afterAll(async () => {
	await sql?.end();
	await Promise.all([a?.stop(), b?.stop()]);
});

describe('two instances and one uploaded course', () => {
	it('serves a publish made on the other instance within seconds, and a roll back', async () => {
		expect(
			(await upload(admin, 'course.zip', coursePackage('shared-course', 'Shared one'))).status
		).toBe(303);
		expect((await publish(admin, 'shared-course', 1)).status).toBe(303);
		expect(await servedTitle(a, 'shared-course', 'Shared one')).toBeLessThan(1000);
		const first = await servedTitle(b, 'shared-course', 'Shared one');
		expect(first).toBeLessThan(5000);

		// The same admin, sent to the other instance by a load balancer.
		const onB = admin.clone();
		(onB as { base: string }).base = b.url;
		expect(
			(await upload(onB, 'course.zip', coursePackage('shared-course', 'Shared two'))).status
		).toBe(303);
		expect((await publish(onB, 'shared-course', 2)).status).toBe(303);
		expect(await servedTitle(a, 'shared-course', 'Shared two')).toBeLessThan(5000);

		expect((await publish(admin, 'shared-course', 1)).status).toBe(303);
		expect(await servedTitle(b, 'shared-course', 'Shared one')).toBeLessThan(5000);
	});

	it('answers hostile and oversized uploads with a 400 and a message', async () => {
		const cases: [string, Buffer, RegExp][] = [
			[
				'slip.zip',
				makeZip([{ name: '../../evil.yaml', data: 'x: 1' }]),
				/climbs out of the folder/
			],
			[
				'link.zip',
				makeZip([{ name: 'course.yaml', data: '/etc/passwd', symlink: true }]),
				/links are not allowed/
			],
			[
				'bomb.zip',
				makeZip([
					{ name: 'big.md', data: Buffer.alloc(30_000_000), deflate: true, declaredSize: 10 }
				]),
				/unpacks to more than|differ in size from what the archive says/
			],
			['huge.gift', Buffer.alloc(1_600_000, 0x41), /larger than 1\.5 MB/],
			['junk.zip', Buffer.from('not a zip at all'), /Not a readable \.zip/]
		];
		for (const [name, bytes, message] of cases) {
			const res = await upload(admin, name, bytes);
			expect(res.status, name).toBe(400);
			expect(await res.text(), name).toMatch(message);
		}
		expect(a.server.output()).not.toMatch(/Error [0-9a-f-]{36}/);
	});
});
