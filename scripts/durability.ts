// `npm run test:durability [-- --rounds 50]`: streams sign-ups and quiz submissions at the
// production server, kills it hard mid-stream (odd rounds: `kill -9` of the app; even rounds:
// `kill -9` of its PostgreSQL postmaster, then of the app), restarts it, and checks that every
// request answered with success is stored (an account that exists, an attempt graded with the
// grade it was given) and that nothing is half-written (every graded attempt has exactly one
// `attempt.graded` event from the same transaction, and no event lacks its attempt).
// Prints acknowledged vs stored per round; exits 1 on any loss.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../src/lib/server/auth/accounts';
import { createSession, generateSessionToken } from '../src/lib/server/auth/session';
import { useCourses } from '../src/lib/server/content/catalog';
import { loadCourse } from '../src/lib/server/content/load';
import { closeDatabase, connect, useDatabase } from '../src/lib/server/db';
import { isAlive, runningServerUrl } from '../src/lib/server/db/embedded';
import { markLessonDone } from '../src/lib/server/learning/lessons';
import { enrol } from '../src/lib/server/learning/progress';
import { readCommandLine } from './lib/command-line.js';

const { values } = readCommandLine(
	`Usage: npm run test:durability -- [--rounds <n>] [--learners <n>] [--port <n>]

Streams sign-ups and quiz submissions at the production server, kills it hard mid-stream (odd
rounds: kill -9 of the app; even rounds: of its PostgreSQL, then of the app), restarts it and
checks that every acknowledged write is stored and nothing is half-written.
Backups under load have their own run: npm run test:backup-durability.

Options:
  --rounds <n>     how many kills (default: 3)
  --learners <n>   learners submitting quizzes at once (default: 6)
  --port <n>       the server's port (default: a free one)
  -h, --help       this text`,
	{
		options: {
			rounds: { type: 'string', default: '3' },
			port: { type: 'string' },
			learners: { type: 'string', default: '6' }
		}
	}
);
const rounds = Number(values.rounds);
const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'durability-'));
fs.chmodSync(dataDir, 0o755);
const fixture = loadCourse(path.join(root, 'tests/fixtures/courses/fixture-course')).course!;
const quiz = fixture.modules[0]!.quiz!;
const quizPath = `/courses/${fixture.id}/${fixture.modules[0]!.id}/quiz`;

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer().once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
		});
	});
}
const port = values.port ? Number(values.port) : await freePort();
const base = `http://localhost:${port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startApp(timeoutMs = 120_000): Promise<{
	child: ChildProcess;
	exited: Promise<void>;
	log: () => string;
}> {
	const child = spawn(process.execPath, ['scripts/start.js'], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: base,
			DATA_DIR: dataDir,
			COURSES_DIR: ['courses', 'tests/fixtures/courses'].join(path.delimiter),
			SIGNUP_ADDRESS_ALLOWANCE: '1000000'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`The app exited:\n${out}`);
		if (Date.now() > deadline) {
			child.kill('SIGTERM');
			throw new Error(`The app did not become healthy:\n${out}`);
		}
		const ok = await fetch(`${base}/healthz`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return { child, exited, log: () => out };
		await sleep(200);
	}
}

const post = (p: string, body: Record<string, string>, cookie?: string) =>
	fetch(base + p, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: base,
			accept: 'text/html',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(body)
	});

/** Learners ready to take the quiz (lessons done), each with a session cookie. */
async function seedLearners(round: number, count: number): Promise<string[]> {
	const cookies: string[] = [];
	for (let i = 0; i < count; i++) {
		const made = await createUser({
			name: `Runner ${round}-${i}`,
			email: `quiz-${round}-${i}@example.com`,
			password: 'plum-tractor-71'
		});
		if (!made.ok) throw new Error(made.message);
		await enrol(made.value.id, fixture);
		for (const l of fixture.lessons.filter((l) => l.moduleId === fixture.modules[0]!.id))
			await markLessonDone(made.value.id, fixture, l);
		const token = generateSessionToken();
		await createSession(token, made.value.id);
		cookies.push(`session=${token}`);
	}
	return cookies;
}

interface Acknowledged {
	emails: string[];
	attempts: string[];
	/** Other answers by status (0: no answer, the connection died), for the log. */
	other: Record<string, number>;
}

/** Until `stop` resolves: sign-ups and start+submit loops, recording what got a success answer. */
async function stream(
	round: number,
	cookies: string[],
	stop: Promise<void>,
	ack: Acknowledged
): Promise<Acknowledged> {
	const note = (what: string, res: Response | null) => {
		const key = `${what} ${res?.status ?? 0}`;
		ack.other[key] = (ack.other[key] ?? 0) + 1;
	};
	let stopped = false;
	void stop.then(() => (stopped = true));
	let n = 0;
	const signUps = async () => {
		while (!stopped) {
			const email = `signup-${round}-${n++}@example.com`;
			const res = await post('/signup', {
				name: 'Streamer',
				email,
				password: 'plum-tractor-71'
			}).catch(() => null);
			if (res?.status === 303 && res.headers.get('location') === '/dashboard')
				ack.emails.push(email);
			else note('sign-up', res);
		}
	};
	const submissions = async (cookie: string) => {
		while (!stopped) {
			const started = await post(`${quizPath}?/start`, {}, cookie).catch(() => null);
			if (started?.status !== 303) {
				note('start', started);
				continue;
			}
			// Every question left unanswered, confirmed as the page asks: the grade is known in
			// advance (0 %, not passed).
			const submitted = await post(`${quizPath}?/submit`, { confirm: 'unanswered' }, cookie).catch(
				() => null
			);
			const location = submitted?.status === 303 ? submitted.headers.get('location') : null;
			const id = location?.match(/\/attempts\/([0-9a-f-]{36})/)?.[1];
			if (id) ack.attempts.push(id);
			else note('submit', submitted);
		}
	};
	await Promise.all([signUps(), signUps(), ...cookies.map(submissions)]);
	return ack;
}

function postmasterPid(): number | null {
	try {
		return Number.parseInt(
			fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]!,
			10
		);
	} catch {
		return null;
	}
}

let failures = 0;
let submissionsAcknowledged = 0;
// The first start may build the app first (scripts/start.js does when sources are newer).
let app = await startApp(600_000);
console.log(`Durability: ${rounds} rounds against ${base} (data in ${dataDir})`);
try {
	for (let round = 1; round <= rounds; round++) {
		const killPostgres = round % 2 === 0;
		const { db, client } = connect(runningServerUrl(dataDir)!, 2);
		useDatabase(db, client);
		useCourses([fixture]);
		const cookies = await seedLearners(round, Number(values.learners));
		await closeDatabase();

		let kill!: () => void;
		const stop = new Promise<void>((r) => (kill = r));
		const live: Acknowledged = { emails: [], attempts: [], other: {} };
		const streaming = stream(round, cookies, stop, live);
		// Kill at a random moment once both streams are flowing (a sign-up and a submission have
		// been acknowledged: sign-ups hash a password, so on a busy machine submissions lag).
		const flowing = Date.now() + 30_000;
		while ((live.emails.length < 1 || live.attempts.length < 1) && Date.now() < flowing)
			await sleep(50);
		await sleep(Math.random() * 1500);
		if (killPostgres) {
			const pg = postmasterPid();
			if (pg) process.kill(pg, 'SIGKILL');
			await sleep(100 + Math.random() * 300);
		}
		app.child.kill('SIGKILL');
		await app.exited;
		kill();
		const ack = await streaming;

		app = await startApp();
		const { client: sql } = connect(runningServerUrl(dataDir)!, 2);
		try {
			const users = ack.emails.length
				? await sql<{ email: string }[]>`select email from users where email in ${sql(ack.emails)}`
				: [];
			const attempts = ack.attempts.length
				? await sql<{ id: string }[]>`
					select id from quiz_attempts
					 where id in ${sql(ack.attempts)} and submitted_at is not null
					   and percent = 0 and passed = false and quiz_id = ${quiz.id}`
				: [];
			const [halves] = await sql<{ n: number }[]>`
				select count(*)::int as n from (
					select a.id from quiz_attempts a
					  left join domain_events e on e.type = 'attempt.graded' and e.payload->>'attemptId' = a.id::text
					 where a.submitted_at is not null
					 group by a.id having count(e.id) <> 1
					union all
					select e.id from domain_events e
					  left join quiz_attempts a on a.id::text = e.payload->>'attemptId' and a.submitted_at is not null
					 where e.type = 'attempt.graded' and a.id is null) broken`;
			submissionsAcknowledged += ack.attempts.length;
			const lost = ack.emails.length - users.length + (ack.attempts.length - attempts.length);
			const ok = lost === 0 && halves!.n === 0;
			if (!ok) failures++;
			console.log(
				`round ${String(round).padStart(2)} (kill -9 ${killPostgres ? 'postgres + app' : 'app'}): ` +
					`sign-ups acknowledged ${ack.emails.length}, stored ${users.length}; ` +
					`submissions acknowledged ${ack.attempts.length}, stored with their grade ${attempts.length}; ` +
					`half-written ${halves!.n}${ok ? '' : '  ✗'}`
			);
			const other = Object.entries(ack.other).map(([k, v]) => `${k}: ${v}`);
			if (other.length) console.log(`  other answers: ${other.join(', ')}`);
		} finally {
			await sql.end({ timeout: 5 });
		}
	}
} finally {
	app.child.kill('SIGTERM');
	await app.exited;
	const pg = postmasterPid();
	if (pg && isAlive(pg)) process.kill(pg, 'SIGINT');
	fs.rmSync(dataDir, { recursive: true, force: true });
}
// A run in which no submission was ever acknowledged proves nothing about grades: a failure.
if (submissionsAcknowledged === 0) failures++;
console.log(
	submissionsAcknowledged === 0
		? `✗ No quiz submission was acknowledged in ${rounds} rounds, so their durability was not tested.`
		: failures
			? `✗ ${failures} of ${rounds} rounds lost or half-wrote data.`
			: `✓ ${rounds} rounds: nothing acknowledged was lost, nothing half-written ` +
				`(${submissionsAcknowledged} submissions acknowledged in all).`
);
process.exit(failures ? 1 : 0);
