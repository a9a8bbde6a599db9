// Every route the app has, and who may reach it. The routes are read from src/routes, so a new
// route without an entry below fails this test until someone decides its policy. The hook's own
// guard is called with each route id and a path that differs from it (as percent-encoding or a
// group folder makes it), so a guard that looked at the raw path would fail here.
import fs from 'node:fs';
import path from 'node:path';
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { guard } from '../../src/lib/server/http/guard';
import { decide, policyOf, type Decision, type Policy } from '../../src/lib/server/http/policy';
import type { Role } from '../../src/lib/server/db/schema';

const routesDir = path.resolve(import.meta.dirname, '..', '..', 'src', 'routes');

/** Route ids as SvelteKit forms them: the folder of each page or endpoint, groups included. */
function routeIds(): string[] {
	const ids: string[] = [];
	const walk = (dir: string) => {
		const entries = fs.readdirSync(dir, { withFileTypes: true });
		if (entries.some((e) => /^\+(page|page\.server|server)\.(svelte|ts|js)$/.test(e.name)))
			ids.push('/' + path.relative(routesDir, dir).split(path.sep).join('/'));
		for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
	};
	walk(routesDir);
	return ids.map((id) => (id === '/' ? id : id.replace(/\/$/, ''))).sort();
}

const EXPECTED: Record<string, Policy> = {
	'/(public)': 'public',
	'/(public)/login': 'public',
	'/(public)/signup': 'public',
	'/(public)/logout': 'public',
	'/(public)/healthz': 'public',
	'/(public)/readyz': 'public',
	'/(public)/courses': 'public',
	'/(public)/courses/[course]': 'public',
	'/(public)/courses/[course]/cover': 'public',
	'/(public)/verify/[code]': 'public',
	'/(public)/verify/[code]/status': 'public',
	'/(public)/.well-known/jwks.json': 'public',
	'/(public)/issuer': 'public',
	'/(public)/keys/[kid]': 'public',
	'/(public)/status-lists/[list]': 'public',
	'/(public)/unsubscribe/[token]': 'public',
	'/(public)/account-removed': 'public',
	'/(public)/reset-password': 'public',
	'/(public)/reset-password/[token]': 'public',
	'/(learner)/certificates': 'learner',
	'/(learner)/certificates/[id]/certificate.pdf': 'learner',
	'/(learner)/certificates/[id]/credential.jwt': 'learner',
	'/(learner)/certificates/[id]/credential.json': 'learner',
	'/(learner)/dashboard': 'learner',
	'/(learner)/account': 'learner',
	'/(learner)/account/data.json': 'learner',
	'/(learner)/courses/[course]/[module]/[lesson]': 'learner',
	'/(learner)/courses/[course]/[module]/quiz': 'learner',
	'/(learner)/courses/[course]/exam': 'learner',
	'/(learner)/courses/[course]/attempts/[attempt]': 'learner',
	'/(learner)/courses/[course]/complete': 'learner',
	'/(learner)/courses/[course]/media/[...file]': 'learner',
	'/(public)/join/[code]': 'public',
	'/(learner)/notifications': 'learner',
	'/(learner)/review': 'learner',
	'/(learner)/review/settings': 'learner',
	'/(coach)/coach': 'coach',
	'/(coach)/coach/teams/[team]': 'coach',
	'/(coach)/coach/teams/[team]/grid.csv': 'coach',
	'/(coach)/coach/teams/[team]/assign': 'coach',
	'/(coach)/coach/teams/[team]/athletes/[athlete]': 'coach',
	'/(coach)/coach/teams/[team]/questions': 'coach',
	'/(admin)/admin': 'admin',
	'/(admin)/admin/users': 'admin',
	'/(admin)/admin/coach-requests': 'admin',
	'/(admin)/admin/regrade': 'admin',
	'/(admin)/admin/certificates': 'admin',
	'/(admin)/admin/outbox': 'admin',
	'/(admin)/admin/settings': 'admin',
	'/(admin)/admin/courses': 'admin',
	'/(admin)/admin/courses/[course]': 'admin',
	'/(admin)/admin/courses/[course]/preview/[version]': 'admin',
	'/(admin)/admin/courses/[course]/preview/[version]/media/[...file]': 'admin'
};

const PEOPLE: [string, { role: Role } | null][] = [
	['anonymous', null],
	['learner', { role: 'learner' }],
	['coach', { role: 'coach' }],
	['admin', { role: 'admin' }]
];

/** What each policy means for each kind of visitor. */
const OUTCOME: Record<Policy, Decision[]> = {
	public: ['allow', 'allow', 'allow', 'allow'],
	learner: ['log-in', 'allow', 'allow', 'allow'],
	coach: ['log-in', 'not-found', 'allow', 'allow'],
	admin: ['log-in', 'not-found', 'not-found', 'allow']
};

/** A concrete, percent-encoded path for a route id: params filled in, groups dropped. */
const samplePath = (id: string) =>
	id
		.replace(/\/\([a-z]+\)/g, '')
		.replace(/\[\.\.\.[a-z]+\]/g, 'a/b.svg')
		.replace(/\[[a-z]+\]/g, 'x')
		.replace(/^\/admin/, '/%61dmin')
		.replace(/^$/, '/');

async function runGuard(routeId: string, user: { role: Role } | null): Promise<Decision> {
	const url = new URL(samplePath(routeId), 'http://localhost');
	const event = {
		route: { id: routeId },
		url,
		locals: { user, session: null, unread: 0 },
		request: new Request(url)
	} as unknown as RequestEvent;
	try {
		await guard({ event, resolve: () => Promise.resolve(new Response('ok')) });
		return 'allow';
	} catch (e) {
		if (isRedirect(e) && e.location.startsWith('/login?')) return 'log-in';
		if (isHttpError(e) && e.status === 404) return 'not-found';
		throw e;
	}
}

describe('route policy', () => {
	const ids = routeIds();

	it('knows every route in src/routes, and no route is missing from this table', () => {
		expect(ids.length).toBeGreaterThan(10);
		expect(ids).toEqual(Object.keys(EXPECTED).sort());
	});

	it('gives every route the policy of its group', () => {
		for (const id of ids) expect(policyOf(id), id).toBe(EXPECTED[id]);
	});

	it('lets each kind of visitor in, sends them to log in, or answers 404, through the hook', async () => {
		for (const id of ids)
			for (const [i, [who, user]] of PEOPLE.entries()) {
				const expected = OUTCOME[EXPECTED[id]!][i];
				expect(decide(id, user), `${who} → ${id}`).toBe(expected);
				expect(await runGuard(id, user), `hook: ${who} → ${samplePath(id)}`).toBe(expected);
			}
	});

	it('refuses a form post from a visitor instead of redirecting it', async () => {
		const url = new URL('/dashboard', 'http://localhost');
		const event = {
			route: { id: '/(learner)/dashboard' },
			url,
			locals: { user: null, session: null, unread: 0 },
			request: new Request(url, { method: 'POST' })
		} as unknown as RequestEvent;
		await expect(
			guard({ event, resolve: () => Promise.resolve(new Response('ok')) })
		).rejects.toMatchObject({ status: 401 });
	});

	it('denies a route outside every group, and lets an unmatched path through to 404', () => {
		for (const [, user] of PEOPLE) {
			expect(decide('/secret', user)).toBe('not-found');
			expect(decide('/(unknown)/x', user)).toBe('not-found');
			expect(decide(null, user)).toBe('allow');
		}
	});
});
