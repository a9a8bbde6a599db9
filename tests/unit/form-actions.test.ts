// Which form posts name a real action: the check that keeps `?/__proto__` and friends away
// from SvelteKit's action lookup.
import { describe, expect, it } from 'vitest';
import { namesAnAction, routeIdOf } from '../../src/lib/server/http/form-actions';

const noop = () => undefined;
const named = { enrol: noop, done: noop };
const onlyDefault = { default: noop };
const url = (query: string) => new URL(`http://localhost/courses/x${query}`);

describe('namesAnAction', () => {
	it('accepts the actions the page defines, spelled as SvelteKit reads them', () => {
		expect(namesAnAction(named, url('?/enrol'))).toBe(true);
		expect(namesAnAction(named, url('?%2Fdone='))).toBe(true);
		expect(namesAnAction(named, url('?x=1&/done&/nope'))).toBe(true);
		expect(namesAnAction(onlyDefault, url(''))).toBe(true);
		expect(namesAnAction(onlyDefault, url('?x=1'))).toBe(true);
	});

	it('refuses names every object has, `default` named outright, and unknown names', () => {
		for (const name of ['__proto__', 'constructor', 'valueOf', 'hasOwnProperty', 'toString'])
			for (const actions of [named, onlyDefault])
				expect(namesAnAction(actions, url(`?/${name}`)), name).toBe(false);
		expect(namesAnAction(onlyDefault, url('?/default'))).toBe(false);
		expect(namesAnAction(named, url('?/default'))).toBe(false);
		expect(namesAnAction(named, url(''))).toBe(false);
		expect(namesAnAction(named, url('?/'))).toBe(false);
		expect(namesAnAction(named, url('?/Enrol'))).toBe(false);
		expect(namesAnAction({ ...named, broken: 'x' } as never, url('?/broken'))).toBe(false);
	});
});

describe('routeIdOf', () => {
	it('gives the route id SvelteKit uses, groups included', () => {
		expect(routeIdOf('/src/routes/+page.server.ts')).toBe('/');
		expect(routeIdOf('/src/routes/login/+page.server.ts')).toBe('/login');
		expect(routeIdOf('/src/routes/(app)/courses/[course]/+page.server.js')).toBe(
			'/(app)/courses/[course]'
		);
	});
});
