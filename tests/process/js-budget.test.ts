// The JavaScript budget: each main learner page loads at most 60 KB of JavaScript, gzipped, as
// counted from the production build's own HTML (the modules it preloads and imports). A size,
// not a timing: it fails when a change makes pages heavier than a phone on a slow network
// should have to download.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageWeight } from '../../scripts/bench/page-weight';
import {
	postForm,
	sessionCookie,
	startServer,
	type RunningServer
} from '../support/server-process';

const BUDGET_BYTES = 60 * 1024;
const COURSE = '/courses/hip-flexor-pain';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-js-budget-'));
fs.chmodSync(dataDir, 0o755);
let server: RunningServer;
let cookie: string;
let firstLesson: string;

beforeAll(async () => {
	server = await startServer(dataDir);
	const signup = await postForm(server, '/signup', {
		name: 'Budget Reader',
		email: 'budget@example.com',
		password: 'plum-tractor-71'
	});
	cookie = sessionCookie(signup)!;
	const enrol = await postForm(server, `${COURSE}?/enrol`, {}, cookie);
	firstLesson = enrol.headers.get('location')!;
});

afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the JavaScript each learner page loads', () => {
	const pages = () => ({
		home: '/',
		catalogue: '/courses',
		course: COURSE,
		dashboard: '/dashboard',
		lesson: firstLesson,
		quiz: `${COURSE}/anatomy/quiz`,
		exam: `${COURSE}/exam`,
		account: '/account'
	});

	it('stays within 60 KB gzipped on every main page', async () => {
		const sizes: Record<string, number> = {};
		for (const [name, pathname] of Object.entries(pages())) {
			const weight = await pageWeight(server.url + pathname, { cookie });
			expect(weight.jsFiles, `${name}: no scripts found, so nothing was measured`).toBeGreaterThan(
				2
			);
			sizes[name] = Math.round(weight.jsGzip / 1024);
		}
		const over = Object.entries(sizes).filter(([, kb]) => kb * 1024 > BUDGET_BYTES);
		expect(over, `KB gzipped per page: ${JSON.stringify(sizes)}`).toEqual([]);
	});
});
