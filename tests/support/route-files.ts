// The app's routes as the source tree declares them: every page with its form actions and every
// `+server` endpoint with its methods, so tests that attack "every action" cover new ones too.
import fs from 'node:fs';
import path from 'node:path';

export interface PageRoute {
	/** SvelteKit's route id, groups included: `/(learner)/courses/[course]`. */
	id: string;
	hasActions: boolean;
	/**
	 * The names its `actions` object spells out; empty when the page has none or builds the
	 * object elsewhere (`actions = quizActions(exam)`): see `actionNamesOf`.
	 */
	actions: string[];
}

export interface EndpointRoute {
	id: string;
	methods: string[];
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

function walk(dir: string, id: string, visit: (file: string, id: string) => void) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, `${id}/${entry.name}`, visit);
		else visit(full, id || '/');
	}
}

export function pageRoutes(root = 'src/routes'): PageRoute[] {
	const found: PageRoute[] = [];
	walk(root, '', (file, id) => {
		if (!/\/\+page\.server\.[jt]s$/.test(file)) return;
		const source = fs.readFileSync(file, 'utf8');
		const block = source.split('export const actions')[1]?.split(/\n}/)[0] ?? '';
		found.push({
			id,
			hasActions: source.includes('export const actions'),
			actions: [...block.matchAll(/^\t(\w+):/gm)].map((m) => m[1]!)
		});
	});
	return found;
}

/** A page's action names, or for a page that builds its actions elsewhere, every name the app uses. */
export function actionNamesOf(route: PageRoute, all: PageRoute[]): string[] {
	if (!route.hasActions || route.actions.length) return route.actions;
	return [...new Set(all.flatMap((r) => r.actions))];
}

export function endpointRoutes(root = 'src/routes'): EndpointRoute[] {
	const found: EndpointRoute[] = [];
	walk(root, '', (file, id) => {
		if (!/\/\+server\.[jt]s$/.test(file)) return;
		const source = fs.readFileSync(file, 'utf8');
		const methods = METHODS.filter((m) =>
			new RegExp(`export (const|async function|function) ${m}\\b`).test(source)
		);
		found.push({ id, methods });
	});
	return found;
}

/**
 * The URL path of a route id with these parameter values: groups dropped, `[name]` and
 * `[...rest]` replaced. A parameter without a value throws, so a new one is noticed.
 */
export function pathOf(id: string, params: Record<string, string>): string {
	const segments = id
		.split('/')
		.filter((s) => s && !/^\(.*\)$/.test(s))
		.map((s) =>
			s.replace(/^\[(?:\.\.\.)?(\w+)\]$/, (_, name: string) => {
				const value = params[name];
				if (value === undefined) throw new Error(`No test value for the route parameter [${name}]`);
				return value;
			})
		);
	return '/' + segments.join('/');
}
