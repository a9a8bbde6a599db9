// Fuzzes the action name of every form action in the app (`?/name`): names every JavaScript
// object has (`__proto__`, `constructor`, `toString`, …), the reserved `default`, and random
// strings. None may reach SvelteKit's action lookup and cause a 500 (or run a prototype method).
import fs from 'node:fs';
import path from 'node:path';
import { expect, request as newRequest, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { PASSWORD, createAdmin } from './helpers';

// HTTP-level checks: run once, in the js project only (playwright.config.ts).
const RESERVED = [
	...Object.getOwnPropertyNames(Object.prototype),
	...Object.getOwnPropertyNames(Function.prototype),
	'default',
	'prototype',
	'then',
	''
];

// Real values where the route needs them, so each post reaches its page's actions.
const PARAMS: Record<string, string> = {
	course: 'fixture-course',
	module: 'basics',
	lesson: 'first-steps',
	attempt: '00000000-0000-4000-8000-000000000000',
	file: 'square.svg'
};

interface PageRoute {
	id: string;
	path: string;
	hasActions: boolean;
	/** The names its actions object spells out, so that the fuzzer never runs a real action. */
	actions: string[];
}

/** Every page with a server module, from the source tree, so a new page is fuzzed too. */
function pageRoutes(dir = 'src/routes', id = ''): PageRoute[] {
	const found: PageRoute[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...pageRoutes(full, `${id}/${entry.name}`));
		else if (/^\+page\.server\.[jt]s$/.test(entry.name)) {
			const source = fs.readFileSync(full, 'utf8');
			const block = source.split('export const actions')[1] ?? '';
			const segments = (id || '/').split('/').filter((s) => s && !/^\(.*\)$/.test(s));
			found.push({
				id: id || '/',
				path:
					'/' +
					segments
						.map((s) => s.replace(/^\[(?:\.\.\.)?(\w+)\]$/, (_, p: string) => PARAMS[p]!))
						.join('/'),
				hasActions: source.includes('export const actions'),
				actions: [...block.matchAll(/^\t(\w+):/gm)].map((m) => m[1]!)
			});
		}
	}
	return found;
}

const routes = pageRoutes();

async function post(
	api: APIRequestContext,
	baseURL: string,
	route: PageRoute,
	query: string,
	json: boolean
) {
	return api.post(route.path + query, {
		headers: {
			origin: baseURL,
			accept: json ? 'application/json' : 'text/html',
			...(json ? { 'x-sveltekit-action': 'true' } : {})
		},
		form: { email: 'nobody@example.com', id: PARAMS.attempt! },
		maxRedirects: 0
	});
}

test('the fuzzer knows the pages with form actions', () => {
	const withActions = routes.filter((r) => r.hasActions).map((r) => r.path);
	expect(withActions).toEqual(
		expect.arrayContaining([
			'/login',
			'/signup',
			'/logout',
			'/courses/fixture-course',
			'/account',
			'/courses/fixture-course/basics/quiz'
		])
	);
	expect(routes.find((r) => r.path === '/admin/users')?.actions).toEqual(['update', 'resetLink']);
});

test('odd action names get a 4xx on every form action, logged out and as admin', async ({
	baseURL
}) => {
	test.setTimeout(120_000);
	const email = `fuzz-admin-${Date.now()}@example.com`;
	createAdmin(email, 'Fuzz Admin');
	const admin = await newRequest.newContext({ baseURL });
	const login = await admin.post('/login', {
		headers: { origin: baseURL!, accept: 'text/html' },
		form: { email, password: PASSWORD },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);
	const anonymous = await newRequest.newContext({ baseURL });

	// Each known-bad name on every page, as admin (past every access check): refused as unknown.
	for (const route of routes) {
		for (const name of RESERVED) {
			if (name !== 'default' && route.actions.includes(name)) continue; // /admin/regrade?/apply
			for (const json of [false, true]) {
				const res = await post(admin, baseURL!, route, `?/${encodeURIComponent(name)}`, json);
				const expected = route.hasActions ? 404 : 405;
				expect(res.status(), `${route.path}?/${name} (json: ${json})`).toBe(expected);
			}
		}
	}

	// `default` stays in: naming it outright must be refused like any unknown name.
	const realNames = new Set(routes.flatMap((r) => r.actions).filter((n) => n !== 'default'));
	const name = fc.oneof(
		fc.constantFrom(...RESERVED),
		fc.string({ unit: 'grapheme', maxLength: 20 }),
		fc.string({ unit: 'binary', maxLength: 20 }),
		fc.constantFrom(...RESERVED).map((n) => n.toUpperCase() + '/x')
	);
	// The ways a browser or a script can spell the `/name` query key.
	const query = fc.constantFrom(
		(n: string) => `?/${encodeURIComponent(n)}`,
		(n: string) => `?${encodeURIComponent('/' + n)}=`,
		(n: string) => `?x=1&/${encodeURIComponent(n)}&/update`,
		(n: string) => `?/${n.replace(/[#&%?\s]/g, '')}`
	);
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(...routes),
			name.filter((n) => !realNames.has(n)),
			query,
			fc.boolean(),
			fc.boolean(),
			async (route, n, spell, json, loggedIn) => {
				const res = await post(loggedIn ? admin : anonymous, baseURL!, route, spell(n), json);
				expect(res.status(), `${route.path}${spell(n)}`).toBeGreaterThanOrEqual(400);
				expect(res.status(), `${route.path}${spell(n)}`).toBeLessThan(500);
			}
		),
		{ numRuns: 400 }
	);
	await admin.dispose();
	await anonymous.dispose();
});
