// No cross-site state change (SECURITY.md promise 6, the CSRF row): a form post from another
// origin, or with no origin at all, is refused on every action of every page, whoever is logged
// in; `+server` endpoints that change state check Origin themselves.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actionNamesOf, endpointRoutes, pageRoutes, pathOf } from '../support/route-files';
import { Client } from './support/client';
import { openSql } from './support/database';
import { buildWorld, firstParams, type World } from './support/world';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
let world: World;
beforeAll(async () => {
	world = await buildWorld(base, sql);
}, 120_000);
afterAll(() => sql.end());

const pages = pageRoutes();
const { port } = new URL(base);
const FOREIGN = [
	'https://evil.example',
	'null',
	`http://127.0.0.1.evil.example:${port}`,
	`https://localhost:${port}`,
	`http://localhost:${Number(port) + 1}`,
	null
];
// The three content types a cross-site <form> can send without a preflight.
const BODIES: [string, (f: Record<string, string>) => BodyInit, string | undefined][] = [
	['urlencoded', (f) => new URLSearchParams(f), 'application/x-www-form-urlencoded'],
	[
		'multipart',
		(f) => {
			const d = new FormData();
			for (const [k, v] of Object.entries(f)) d.append(k, v);
			return d;
		},
		undefined
	],
	[
		'text/plain',
		(f) =>
			Object.entries(f)
				.map(([k, v]) => `${k}=${v}`)
				.join('\r\n'),
		'text/plain'
	]
];

describe('a cross-site form post', () => {
	it('is refused with 403 on every action, logged in as anyone or not', async () => {
		const who: [string, Client][] = [
			['visitor', new Client(base)],
			['learner', world.learner.client],
			['coach', world.coach.client],
			['admin', world.admin.client]
		];
		const actions = pages.filter((p) => p.hasActions);
		expect(actions.length).toBeGreaterThan(10);
		let posts = 0;
		for (const route of actions) {
			const path = pathOf(route.id, firstParams(world, route.id));
			for (const name of actionNamesOf(route, pages)) {
				const url = name === 'default' ? path : `${path}?/${name}`;
				// The one exception (DESIGN §4, RFC 8058): mail clients post one-click unsubscribes
				// without an Origin, so the server entry takes that URL's POST ahead of SvelteKit and
				// refuses any body but `List-Unsubscribe=One-Click` with 400, changing nothing.
				const oneClick = route.id === '/(public)/unsubscribe/[token]' && name === 'default';
				// Every origin and body kind as a visitor; the likeliest two for each role logged in.
				for (const [role, client] of who)
					for (const origin of role === 'visitor' ? FOREIGN : FOREIGN.slice(0, 2))
						for (const [kind, body, type] of role === 'visitor' ? BODIES : BODIES.slice(0, 1)) {
							const res = await client.fetch(url, {
								method: 'POST',
								headers: {
									accept: 'text/html',
									...(origin === null ? {} : { origin }),
									...(type ? { 'content-type': type } : {})
								},
								body: body({ name: 'x', email: 'x@example.com', id: crypto.randomUUID() })
							});
							expect(
								oneClick ? [400, 403] : [403],
								`${role} ${url} from ${origin} as ${kind}`
							).toContain(res.status);
							posts++;
						}
			}
		}
		expect(posts).toBeGreaterThan(500);
		// Every session is still good: nothing logged anyone out.
		for (const [role, client] of who.slice(1))
			expect((await client.get('/dashboard')).status, role).toBe(200);
	});

	it('is accepted from the site itself, so the 403 was the origin check', async () => {
		const res = await world.learner.client.post('/account?/profile', { name: 'World Learner' });
		expect(res.status).toBe(303);
	});
});

describe('+server endpoints', () => {
	const endpoints = endpointRoutes();
	const changing = ['POST', 'PUT', 'PATCH', 'DELETE'];

	it('answer a state-changing method they do not define with 405 (403 cross-site)', async () => {
		for (const route of endpoints) {
			const path = pathOf(route.id, firstParams(world, route.id));
			for (const method of changing.filter((m) => !route.methods.includes(m)))
				for (const origin of [base, 'https://evil.example']) {
					const res = await world.admin.client.fetch(path, {
						method,
						headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
						body: 'x=1'
					});
					expect(res.status, `${method} ${path} from ${origin}`).toBe(origin === base ? 405 : 403);
				}
		}
	});

	it('that change state refuse a foreign Origin', async () => {
		for (const route of endpoints) {
			const path = pathOf(route.id, firstParams(world, route.id));
			for (const method of changing.filter((m) => route.methods.includes(m))) {
				const res = await world.admin.client.fetch(path, {
					method,
					headers: { origin: 'https://evil.example' }
				});
				expect(res.status, `${method} ${path}`).toBe(403);
			}
		}
	});
});
