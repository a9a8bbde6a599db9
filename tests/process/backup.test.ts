// `npm run backup` while the site runs and `npm run restore` into an empty data dir: users,
// progress, attempts and certificates come back, and a credential issued before still verifies
// against the restored site's published key. A non-empty data dir is refused.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { importJWK, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { generateSigningJwk, RETIRED_KEYS_FILE } from '../../src/lib/server/certificates/keys';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import { closeDatabase, connect, useDatabase } from '../../src/lib/server/db';
import { runningServerUrl } from '../../src/lib/server/db/embedded';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { enrol } from '../../src/lib/server/learning/progress';
import type { Quiz } from '../../src/lib/quiz/types';
import { takeQuiz } from '../support/builders';
import {
	postForm,
	sessionCookie,
	startServer,
	type RunningServer
} from '../support/server-process';

const run = promisify(execFile);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-backup-'));
fs.chmodSync(root, 0o755);
const env = { COURSES_DIR: ['courses', 'tests/fixtures/courses'].join(path.delimiter) };
const servers: RunningServer[] = [];
afterAll(async () => {
	for (const s of servers) if (s.process.exitCode === null) s.process.kill('SIGTERM');
	await Promise.all(servers.map((s) => s.exited));
	fs.rmSync(root, { recursive: true, force: true });
});

const cli = (script: string, args: string[], dataDir: string) =>
	run(process.execPath, ['--import', 'tsx', script, ...args], {
		env: { ...process.env, DATA_DIR: dataDir }
	}).then(
		(r) => ({ code: 0, out: r.stdout + r.stderr }),
		(e: { code: number; stdout: string; stderr: string }) => ({
			code: e.code,
			out: e.stdout + e.stderr
		})
	);

/** A learner who completes the fixture course (certificate) after failing one quiz once. */
async function seed(dataDir: string) {
	const { db, client } = connect(runningServerUrl(dataDir)!, 2);
	useDatabase(db, client);
	const loaded = loadCourse(path.resolve('tests/fixtures/courses/fixture-course'));
	const course = loaded.course!;
	useCourses([course]);
	const made = await createUser({
		name: 'Backed Up',
		email: 'backup@example.com',
		password: 'plum-tractor-71'
	});
	if (!made.ok) throw new Error(made.message);
	const id = made.value.id;
	await enrol(id, course);
	for (const l of course.lessons) await markLessonDone(id, course, l);
	const take = (quiz: Quiz, right: boolean) => takeQuiz(id, course, quiz, right);
	await take(course.modules[0]!.quiz!, false);
	await take(course.modules[0]!.quiz!, true);
	await take(course.modules[1]!.quiz!, true);
	const done = await take(course.finalExam!, true);
	await closeDatabase();
	return done!.certificate!.id;
}

async function logIn(server: RunningServer) {
	const res = await postForm(server, '/login', {
		email: 'backup@example.com',
		password: 'plum-tractor-71'
	});
	expect(res.status).toBe(303);
	return sessionCookie(res)!;
}

describe('backup and restore', () => {
	it('round-trips users, progress, attempts and certificates; the old credential still verifies', async () => {
		const original = path.join(root, 'original');
		const first = await startServer(original, env);
		servers.push(first);
		const certificateId = await seed(original);
		const cookie = await logIn(first);
		const jwt = await (
			await fetch(`${first.url}/certificates/${certificateId}/credential.jwt`, {
				headers: { cookie }
			})
		).text();
		const historyBefore = await (
			await fetch(`${first.url}/courses/fixture-course`, { headers: { cookie } })
		).text();

		// A key retired by an earlier rotation: its public part must survive the round trip, or
		// credentials signed with it would stop verifying on the restored site.
		const { x: retiredX } = (await generateSigningJwk()) as { x: string };
		fs.writeFileSync(
			path.join(original, RETIRED_KEYS_FILE),
			JSON.stringify([{ kty: 'OKP', crv: 'Ed25519', x: retiredX }])
		);

		// While the site runs.
		const backup = await cli('scripts/backup.ts', ['--out', path.join(root, 'backups')], original);
		expect(backup.out).toMatch(/Backup written: .*stride-academy-.*\.backup\.gz/);
		expect(backup.code).toBe(0);
		const [file] = fs.readdirSync(path.join(root, 'backups'));
		const backupFile = path.join(root, 'backups', file!);
		expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);

		// Into a data dir that holds something: refused, nothing touched.
		const refused = await cli('scripts/restore.ts', [backupFile], original);
		expect(refused.code).toBe(1);
		expect(refused.out).toContain(`The data directory ${original} is not empty.`);

		first.process.kill('SIGTERM');
		await first.exited;
		const restoredDir = path.join(root, 'restored');
		const restore = await cli('scripts/restore.ts', [backupFile], restoredDir);
		expect(restore.out).toMatch(
			/Restored \d+ rows .* with the certificate signing key and the retired keys\./
		);
		expect(restore.code).toBe(0);

		const second = await startServer(restoredDir, env);
		servers.push(second);
		const again = await logIn(second);
		const dashboard = await (
			await fetch(`${second.url}/dashboard`, { headers: { cookie: again } })
		).text();
		expect(dashboard).toContain('Welcome, Backed Up');
		// Progress and the attempts behind it: the course page shows the same state.
		const historyAfter = await (
			await fetch(`${second.url}/courses/fixture-course`, { headers: { cookie: again } })
		).text();
		const states = (html: string) => html.match(/Completed|Passed|Done|\d+%/g)?.join(',');
		expect(states(historyAfter)).toBe(states(historyBefore));
		const certificates = await (
			await fetch(`${second.url}/certificates`, { headers: { cookie: again } })
		).text();
		expect(certificates).toContain('Backed Up');
		const jwks = (await (
			await fetch(`${second.url}/.well-known/jwks.json`)
		).json()) as JSONWebKeySet;
		// The key id names the site's origin, which differs here (another port): match by thumbprint.
		const thumbprint = (token: string) =>
			(JSON.parse(atob(token.split('.')[0]!)) as { kid: string }).kid.split('/').pop();
		const key = jwks.keys.find((k) => k.kid?.endsWith('/' + thumbprint(jwt)));
		expect(key, JSON.stringify(jwks)).toBeDefined();
		expect(jwks.keys.map((k) => k.x)).toContain(retiredX);
		// The VC-JWT's RSA key came back with the backup: the old credential still verifies.
		const verified = await jwtVerify(jwt, await importJWK(key!, 'RS256'));
		expect(verified.payload.jti ?? verified.payload.vc ?? verified.payload).toBeTruthy();
		// A credential downloaded from the restored site is signed with the same key.
		const jwtAgain = await (
			await fetch(`${second.url}/certificates/${certificateId}/credential.jwt`, {
				headers: { cookie: again }
			})
		).text();
		expect(thumbprint(jwtAgain)).toBe(thumbprint(jwt));
	});
});
