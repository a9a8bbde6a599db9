// Fuzzes every form action and `+server` endpoint (enumerated from src/routes, so new ones are
// covered): random and malformed bodies, odd action names, method and content-type mixes, as
// a visitor, a learner, a coach and an admin. Never a 500, the server stays up, and a refused
// request (4xx) changes nothing in the database. FUZZ_RUNS requests (`npm run test:fuzz --
// --runs 10000`); FUZZ_SEED replays a run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actionNamesOf, endpointRoutes, pageRoutes, pathOf } from '../support/route-files';
import { startApp, type App } from './support/app';
import { Client, FIXTURE, logIn, type Account } from './support/client';
import { fingerprint, openSql } from './support/database';
import { buildWorld, type World } from './support/world';

const RUNS = Number(process.env.FUZZ_RUNS) || 500;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let app: App;
let sql: ReturnType<typeof openSql>;
let world: World;
beforeAll(async () => {
	// A database of its own: other test files writing to the shared one would look like changes.
	app = await startApp(inject('postgresUrl'), 'security_fuzz', 2);
	sql = openSql(app.databaseUrl);
	world = await buildWorld(app.url, sql);
	// An open attempt with a text and a numeric question, for the fuzzer's quiz saves to reach.
	await world.learner.client.post(`${FIXTURE}/advanced/quiz?/start`);
}, 180_000);
afterAll(async () => {
	await sql?.end();
	await app?.stop();
});

const pages = pageRoutes();
const endpoints = endpointRoutes();
const RESERVED = [
	...Object.getOwnPropertyNames(Object.prototype),
	'default',
	'prototype',
	'then',
	''
];
const FIELDS = [
	'email',
	'password',
	'current',
	'name',
	'certificateName',
	'id',
	'role',
	'status',
	'timeMultiplier',
	'days',
	'maxUses',
	'course',
	'quiz',
	'due',
	'note',
	'reason',
	'shown',
	'q.warm-first',
	'q.brew-steps',
	'q.fresh-water',
	'q.leaves-per-cup',
	'q.reuse-name',
	'q.green-temperature',
	'description',
	'season',
	'extraPercent',
	'timeZone',
	'decision',
	'to',
	'jwt',
	'revision',
	'goto',
	'code',
	'attempt',
	'team',
	'score',
	'passed',
	'__proto__',
	'constructor'
];

/** Values that mean something to some action, so the fuzzer gets past the first checks. */
function meaningful(w: World): string[] {
	return [
		...Object.values(w.params).flat(),
		'learner',
		'coach',
		'admin',
		'active',
		'disabled',
		'true',
		'false',
		'1',
		'4',
		'90',
		'500',
		'fixture-course',
		'basics-quiz',
		'final-exam',
		'warm-first',
		'brew-steps',
		'2030-01-01',
		crypto.randomUUID(),
		'plum-tractor-71',
		'world@example.com'
	];
}

const oddStrings = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.constantFrom(
		'',
		' ',
		'\u0000',
		'../../etc/passwd',
		'%00',
		'<script>',
		"' or 1=1 --",
		'-1',
		'1e309',
		'NaN',
		'9'.repeat(40)
	),
	// NUL characters inside otherwise ordinary text (PostgreSQL's text cannot hold one).
	fc
		.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
		.map(([a, b]) => `${a}\u0000${b}`),
	// Whole numbers just past PostgreSQL's integer, bigint and JavaScript's safe range.
	fc.constantFrom(
		'2147483647',
		'2147483648',
		'-2147483648',
		'-2147483649',
		'4294967296',
		'9007199254740993',
		'9223372036854775808',
		'-9223372036854775809',
		'1e10'
	),
	fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
	fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n))
);

type Role = 'visitor' | 'learner' | 'coach' | 'admin';

/** The action a form post names, read as SvelteKit reads it: the first query key starting with `/`. */
function actionOf(path: string): string {
	for (const key of new URL(path, 'http://x').searchParams.keys())
		if (key.startsWith('/')) return key.slice(1);
	return 'default';
}

interface Shot {
	role: Role;
	method: string;
	path: string;
	headers: Record<string, string>;
	body?: BodyInit;
	describe: string;
}

function shots(w: World): fc.Arbitrary<Shot> {
	const value = fc.oneof(
		{ weight: 2, arbitrary: fc.constantFrom(...meaningful(w)) },
		{ weight: 3, arbitrary: oddStrings }
	);
	const param = (name: string) =>
		fc.oneof(
			{ weight: 3, arbitrary: fc.constantFrom(...(w.params[name] ?? ['x'])) },
			{
				weight: 1,
				arbitrary: fc.constantFrom(crypto.randomUUID(), '..%2F..', '%00', 'a'.repeat(300), '0')
			},
			{ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent) }
		);
	const paramsFor = (id: string) => {
		const names = [...id.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
		return fc
			.tuple(...names.map(param))
			.map((vals) => Object.fromEntries(names.map((n, i) => [n, vals[i]!])));
	};
	const actionName = (route: (typeof pages)[number]) =>
		fc.oneof(
			{
				weight: 4,
				arbitrary: fc.constantFrom(
					...(actionNamesOf(route, pages).length ? actionNamesOf(route, pages) : ['default'])
				)
			},
			{ weight: 1, arbitrary: fc.constantFrom(...RESERVED) },
			{ weight: 1, arbitrary: fc.string({ maxLength: 12 }) }
		);
	const spell = fc.constantFrom(
		(n: string) => (n === 'default' ? '' : `?/${encodeURIComponent(n)}`),
		(n: string) => `?/${encodeURIComponent(n)}`,
		(n: string) => `?x=1&/${encodeURIComponent(n)}`,
		(n: string) => `?${encodeURIComponent('/' + n)}=&/update`
	);
	const target = fc.oneof(
		{
			weight: 5,
			arbitrary: fc
				.constantFrom(...pages)
				.chain((route) =>
					fc.tuple(fc.constant(route), paramsFor(route.id), actionName(route), spell)
				)
				.map(([route, params, name, how]) => pathOf(route.id, params) + how(name))
		},
		{
			weight: 1,
			arbitrary: fc
				.constantFrom(...endpoints)
				.chain((route) => fc.tuple(fc.constant(route), paramsFor(route.id)))
				.map(([route, params]) => pathOf(route.id, params))
		}
	);
	const fields = fc.array(
		fc.tuple(
			fc.oneof(
				{ weight: 4, arbitrary: fc.constantFrom(...FIELDS) },
				{ weight: 1, arbitrary: fc.string({ maxLength: 10 }) }
			),
			value
		),
		{ maxLength: 8 }
	);
	const body = fc.oneof(
		{
			weight: 6,
			arbitrary: fields.map((f) => ({
				kind: 'urlencoded',
				type: 'application/x-www-form-urlencoded',
				body: new URLSearchParams(f).toString() as BodyInit
			}))
		},
		{
			weight: 2,
			arbitrary: fields.map((f) => {
				const d = new FormData();
				for (const [k, v] of f) d.append(k, v);
				return { kind: 'multipart', type: undefined as string | undefined, body: d as BodyInit };
			})
		},
		{
			weight: 1,
			arbitrary: fields.map((f) => ({
				kind: 'json',
				type: 'application/json',
				body: JSON.stringify(Object.fromEntries(f)) as BodyInit
			}))
		},
		{
			weight: 1,
			arbitrary: fc
				.tuple(
					fc.constantFrom(
						'multipart/form-data',
						'multipart/form-data; boundary=x',
						'text/plain',
						'application/octet-stream',
						'application/x-www-form-urlencoded; charset=utf-16',
						'x/y; ;;'
					),
					fc.uint8Array({ maxLength: 300 })
				)
				.map(([type, bytes]) => ({
					kind: `raw ${type}`,
					type,
					body: Buffer.from(bytes) as BodyInit
				}))
		},
		{
			weight: 1,
			arbitrary: fc.constant({
				kind: 'no body',
				type: undefined as string | undefined,
				body: undefined as BodyInit | undefined
			})
		}
	);
	return fc
		.record({
			role: fc.constantFrom<Role>('visitor', 'learner', 'coach', 'admin'),
			method: fc.oneof(
				{ weight: 8, arbitrary: fc.constant('POST') },
				{
					weight: 2,
					arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD')
				}
			),
			path: target,
			body,
			json: fc.boolean(),
			foreign: fc.oneof(
				{ weight: 9, arbitrary: fc.constant(false) },
				{ weight: 1, arbitrary: fc.constant(true) }
			)
		})
		.map(({ role, method, path, body: b, json, foreign }) => {
			const withBody = !['GET', 'HEAD'].includes(method) && b.body !== undefined;
			const headers: Record<string, string> = {
				origin: foreign ? 'https://evil.example' : app.url,
				accept: json ? 'application/json' : 'text/html',
				...(json ? { 'x-sveltekit-action': 'true' } : {}),
				...(withBody && b.type ? { 'content-type': b.type } : {})
			};
			return {
				role,
				method,
				path,
				headers,
				body: withBody ? b.body : undefined,
				describe: `${role} ${method} ${path} (${withBody ? b.kind : 'no body'}${foreign ? ', foreign origin' : ''}${json ? ', json' : ''})`
			};
		});
}

describe('the fuzzer', () => {
	it(
		`sends ${RUNS} random requests: never a 500, the server stays up, a refused one changes nothing`,
		async () => {
			const accounts: Record<Exclude<Role, 'visitor'>, Account> = {
				learner: world.learner,
				coach: world.coach,
				admin: world.admin
			};
			const roles = { learner: 'learner', coach: 'coach', admin: 'admin' } as const;
			let before = await fingerprint(sql);
			const tally = { sent: 0, refused: 0, accepted: 0, byStatus: {} as Record<number, number> };

			/** What an accepted request may have undone (logging out, a role or account change). */
			async function restore() {
				for (const [role, account] of Object.entries(accounts) as [keyof typeof roles, Account][]) {
					await sql`update users set role = ${roles[role]}, disabled_at = null where email = ${account.email}`;
					if ((await account.client.get('/dashboard')).status !== 200) {
						const client = await logIn(app.url, account.email);
						account.client.cookies.clear();
						for (const [k, v] of client.cookies) account.client.cookies.set(k, v);
					}
				}
			}

			await fc.assert(
				fc.asyncProperty(shots(world), async (shot) => {
					const client = shot.role === 'visitor' ? new Client(app.url) : accounts[shot.role].client;
					let res: Response;
					try {
						res = await client.fetch(shot.path, {
							method: shot.method,
							headers: shot.headers,
							body: shot.body
						});
						await res.arrayBuffer();
					} catch (e) {
						throw new Error(`${shot.describe}: no answer (${String(e)})`);
					}
					tally.sent++;
					tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
					expect(res.status, shot.describe).toBeLessThan(500);
					const after = await fingerprint(sql);
					// A quiz submit with questions left blank saves what was answered and answers 409,
					// asking the learner to confirm (quiz-page.ts): a write by design, not a refusal.
					const confirmStep = res.status === 409 && actionOf(shot.path) === 'submit';
					if (res.status >= 400 && !confirmStep) {
						tally.refused++;
						expect(after, shot.describe).toEqual(before);
					} else {
						tally.accepted++;
						if (JSON.stringify(after) !== JSON.stringify(before)) await restore();
						before = await fingerprint(sql);
					}
					if (tally.sent % 250 === 0) expect((await fetch(app.url + '/healthz')).status).toBe(200);
				}),
				{ numRuns: RUNS, seed: SEED, endOnFailure: true }
			);
			console.log(
				`Fuzzed ${tally.sent} requests: ${tally.refused} refused (4xx, database unchanged), ${tally.accepted} accepted; by status ${JSON.stringify(tally.byStatus)}`
			);
			expect(tally.sent).toBe(RUNS);
			expect((await fetch(app.url + '/healthz')).status).toBe(200);
			expect(app.server.process.exitCode).toBeNull();
			// No request made the app log an internal error.
			expect(app.server.output()).not.toMatch(/Error [0-9a-f-]{36}:/);
		},
		RUNS * 300 + 60_000
	);
});
