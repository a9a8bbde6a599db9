/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed any */
// Uploaded course packages on a real PostgreSQL: a package is checked, stored as the next
// version and published without a restart; an earlier version can be published again (roll
// back); a failing package is never published; a file course's id is refused; a publish is
// announced on the NOTIFY channel other instances listen to; and hostile archives (zip-slip,
// absolute paths, links, a zip bomb, an SVG with script) are refused or made safe.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { findCourse, loadCatalog } from '../../src/lib/server/content/catalog';
import {
	packageCourse,
	PackageRefused,
	PUBLISH_CHANNEL,
	publishPackage,
	uploadPackage
} from '../../src/lib/server/authoring/packages';
import { freshDatabase } from '../support/fresh-database';
import { folderEntries, makeZip, type ZipEntry } from '../support/zip';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const fixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'courses', 'fixture-course');
let url: string;
let adminId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packages-data-'));

function readFolder(dir: string, prefix = ''): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${e.name}` : e.name;
		if (e.isDirectory()) for (const [k, v] of readFolder(dir, rel)) out.set(k, v);
		else out.set(rel, fs.readFileSync(path.join(dir, rel)));
	}
	return out;
}

/** The fixture course under another id (and title), as a zip of its folder. */
function coursePackage(id: string, title: string, change?: (files: Map<string, Buffer>) => void) {
	const files = readFolder(fixtureDir);
	const yaml = files
		.get('course.yaml')!
		.toString()
		.replace(/^id: .*$/m, `id: ${id}`)
		.replace(/^title: .*$/m, `title: ${title}`);
	files.set('course.yaml', Buffer.from(yaml));
	change?.(files);
	return makeZip(folderEntries(files, `${id}/`));
}

beforeAll(async () => {
	process.env.DATA_DIR = dataDir;
	({ url } = await freshDatabase());
	// The file courses, as the app loads them at start.
	loadCatalog([path.dirname(fixtureDir)], () => {});
	const made = await createUser({
		name: 'Author Admin',
		email: 'author-admin@example.com',
		password: 'plum-tractor-71'
	});
	if (!made.ok) throw new Error(made.message);
	adminId = made.value.id;
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const upload = (fileName: string, bytes: Buffer, courseId?: string) =>
	uploadPackage({ fileName, bytes, courseId, userId: adminId });

describe('publishing an uploaded course', () => {
	it('publishes a checked package without a restart, a new version over it, and rolls back', async () => {
		const first = await upload('course.zip', coursePackage('uploaded-course', 'First title'));
		expect(first).toMatchObject({ courseId: 'uploaded-course', version: 1, problems: [] });
		expect(findCourse('uploaded-course')).toBeUndefined();
		await publishPackage('uploaded-course', 1, adminId);
		expect(findCourse('uploaded-course')?.title).toBe('First title');

		const second = await upload('course.zip', coursePackage('uploaded-course', 'Second title'));
		expect(second.version).toBe(2);
		expect(findCourse('uploaded-course')?.title).toBe('First title');
		await publishPackage('uploaded-course', 2, adminId);
		expect(findCourse('uploaded-course')?.title).toBe('Second title');

		await publishPackage('uploaded-course', 1, adminId);
		expect(findCourse('uploaded-course')?.title).toBe('First title');
	});

	it('announces a publish on the channel other instances listen to', async () => {
		await upload('course.zip', coursePackage('announced-course', 'Announced'));
		const other = postgres(url, { max: 1, onnotice: () => {} });
		try {
			const heard: string[] = [];
			await other.listen(PUBLISH_CHANNEL, (payload) => heard.push(payload));
			await publishPackage('announced-course', 1, adminId);
			for (let i = 0; i < 50 && !heard.length; i++) await new Promise((r) => setTimeout(r, 100));
			expect(heard).toEqual(['announced-course']);
		} finally {
			await other.end();
		}
	});

	it('never publishes a package that fails the check, and shows the problem with file and line', async () => {
		const broken = coursePackage('broken-upload', 'Broken', (files) => {
			const quiz = files.get('01-basics/quiz.yaml')!.toString();
			files.set('01-basics/quiz.yaml', Buffer.from(quiz.replace(/type: single/, 'type: essay')));
		});
		const result = await upload('broken.zip', broken);
		expect(result.problems.length).toBeGreaterThan(0);
		expect(result.problems[0]).toMatchObject({
			file: '01-basics/quiz.yaml',
			line: expect.any(Number)
		});
		await expect(publishPackage('broken-upload', 1, adminId)).rejects.toThrow(
			/did not pass the check/
		);
		expect(findCourse('broken-upload')).toBeUndefined();
	});

	it('refuses an upload with the id of a course from files', async () => {
		await expect(upload('course.zip', coursePackage('fixture-course', 'Impostor'))).rejects.toThrow(
			/comes from files in courses\/; an upload cannot replace it/
		);
		expect(findCourse('fixture-course')?.title).not.toBe('Impostor');
	});

	it('makes a GIFT file a quiz-only course that passes the check', async () => {
		const gift = fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'import', 'bank.gift'));
		const result = await upload('bank.gift', gift, 'gift-upload');
		expect(result.problems).toEqual([]);
		expect(result.reports.join('\n')).toMatch(/bank\.gift:\d+: skipped: essay/);
		const preview = await packageCourse('gift-upload', 1);
		expect(preview?.course?.modules[0]?.quiz?.questions.length).toBe(11);
	});
});

describe('hostile packages', () => {
	const base = readFolder(fixtureDir);
	const withEntry = (extra: ZipEntry) =>
		makeZip(
			[...folderEntries(base), extra].map((e) =>
				e.name === 'course.yaml'
					? { ...e, data: e.data.toString().replace(/^id: .*$/m, 'id: hostile') }
					: e
			)
		);
	const outside = path.join(dataDir, 'escaped.yaml');

	for (const [what, entry, message] of [
		['zip-slip ("..")', { name: '../../escaped.yaml', data: 'x: 1' }, /climbs out of the folder/],
		['an absolute path', { name: '/tmp/escaped.yaml', data: 'x: 1' }, /absolute path/],
		[
			'a symbolic link',
			{ name: '01-basics/link.md', data: '/etc/passwd', symlink: true },
			/links are not allowed/
		],
		['a script file', { name: 'evil.js', data: 'alert(1)' }, /holds only \.yaml, \.md and images/]
	] as const)
		it(`refuses ${what}, storing and writing nothing`, async () => {
			await expect(upload('hostile.zip', withEntry(entry))).rejects.toThrow(message);
			expect(fs.existsSync(outside)).toBe(false);
			expect(await packageCourse('hostile', 1)).toBeUndefined();
		});

	it('refuses a zip bomb: 60 MB of zeros in a small file, whether its size is told or hidden', async () => {
		const zeros = Buffer.alloc(60_000_000);
		for (const declaredSize of [undefined, 1000]) {
			const bomb = withEntry({
				name: '01-basics/big.svg',
				data: zeros,
				deflate: true,
				declaredSize
			});
			expect(bomb.length).toBeLessThan(1_500_000);
			await expect(upload('bomb.zip', bomb)).rejects.toThrow(PackageRefused);
		}
		expect(await packageCourse('hostile', 1)).toBeUndefined();
	});

	it('sanitises an SVG with script before it is stored or served', async () => {
		const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)"><rect width="5" height="5"/></a><foreignObject><p>hi</p></foreignObject><circle r="2" fill="red"/></svg>`;
		const zip = withEntry({ name: '01-basics/square.svg', data: svg });
		const { version } = await upload('svg.zip', zip);
		const stored = (await packageCourse('hostile', version))!.course!;
		const file = fs.readFileSync(path.join(stored.dir, '01-basics', 'square.svg'), 'utf8');
		expect(file).not.toMatch(/script|onload|javascript|foreignObject|alert/i);
		expect(file).toContain('<circle');
	});
});
