// The documentation stays true to the code: every environment variable the code reads is in the
// one table of settings (docs/operations.md), every npm command the docs name exists, and every
// relative link (and heading anchor) in the README and docs/ leads somewhere.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** A regular expression match's first group (always present in the patterns here). */
const group = (match: RegExpMatchArray) => match[1] ?? '';

const docFiles = [
	'README.md',
	...fs
		.readdirSync(path.join(root, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`)
];

// Variables the code reads that are not settings for whoever runs the site.
const notSettings: Record<string, string> = {
	NODE_ENV: 'set by Node tooling (vite, vitest); LOG_FORMAT documents its one effect',
	WORKER_SLOT: 'set by the primary process for each worker it forks (scripts/server/cluster.js)',
	BENCH_EMPTY_BUILD: "set by the bench for the empty SvelteKit page's server it starts",
	BENCH_EMPTY_KIT_DIR: 'set by the bench for building its empty SvelteKit app',
	BENCH_EMPTY_OUT: 'set by the bench for building its empty SvelteKit app',
	CHROMIUM_PATH: 'for the test runner only (docs/architecture.md), not the site',
	SCREENSHOT_PORT: 'for `npm run screenshots` only, a developer tool, not the site'
};

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		// Installed and generated code (a bench run leaves the empty app's .svelte-kit) is not ours.
		if (entry.isDirectory())
			return ['node_modules', '.svelte-kit'].includes(entry.name) ? [] : sourceFiles(full);
		return /\.(ts|js|mjs|cjs|svelte)$/.test(entry.name) ? [full] : [];
	});
}

/** Names read as process.env.X, process.env['X'], env.X, env['X'], or held in a `…_ENV = 'X'` constant. */
function variablesReadByCode(): Map<string, string> {
	const patterns = [
		/\bprocess\.env\.([A-Z][A-Z0-9_]*)/g,
		/\bprocess\.env\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g,
		/\benv\.([A-Z][A-Z0-9_]*)/g,
		/\benv\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g,
		/\b[A-Z_]*_ENV\s*=\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g
	];
	const found = new Map<string, string>();
	for (const file of [
		...sourceFiles(path.join(root, 'src')),
		...sourceFiles(path.join(root, 'scripts'))
	]) {
		const text = fs.readFileSync(file, 'utf8');
		for (const pattern of patterns) {
			for (const match of text.matchAll(pattern)) {
				if (!found.has(group(match))) found.set(group(match), path.relative(root, file));
			}
		}
	}
	return found;
}

/** The variable names in the first column of docs/operations.md's configuration table. */
function variablesInTable(): Set<string> {
	const text = read('docs/operations.md');
	const section = text.split(/^## Configuration\s*$/m)[1]?.split(/^## /m)[0] ?? '';
	const names = new Set<string>();
	for (const line of section.split('\n')) {
		if (!line.startsWith('|')) continue;
		const firstCell = line.split('|')[1] ?? '';
		for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(group(match));
	}
	return names;
}

function withoutFencedCode(text: string): string {
	return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Code in the file: fenced blocks and inline `spans`, where commands are written. */
function codeIn(text: string): string[] {
	const fenced = [...text.matchAll(/^(```|~~~)[^\n]*\n([\s\S]*?)^\1/gm)].map((m) => m[2] ?? '');
	const inline = [...withoutFencedCode(text).matchAll(/`([^`\n]+)`/g)].map((m) => group(m));
	return [...fenced, ...inline];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const match of withoutFencedCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const slug = group(match)
			.toLowerCase()
			.replace(/<[^>]+>/g, '')
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count ? `${slug}-${count}` : slug);
	}
	for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(group(match));
	return anchors;
}

describe('the documentation', () => {
	it('lists every environment variable the code reads in the one table of docs/operations.md', () => {
		const read = variablesReadByCode();
		const table = variablesInTable();
		// The extraction works: these are read today and must be found.
		expect([...read.keys()]).toEqual(
			expect.arrayContaining(['PORT', 'DATABASE_URL', 'CERTIFICATE_SIGNING_KEY'])
		);
		const missing = [...read]
			.filter(([name]) => !table.has(name) && !(name in notSettings))
			.map(([name, file]) => `${name} (read in ${file})`);
		expect(missing, 'variables read by the code but missing from the table').toEqual([]);
	});

	it('names only npm commands that exist', () => {
		const scripts = Object.keys(
			(JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
		);
		const builtIns = [
			'install',
			'ci',
			'test',
			'start',
			'run',
			'exec',
			'init',
			'uninstall',
			'update'
		];
		const unknown: string[] = [];
		for (const file of docFiles) {
			for (const code of codeIn(read(file))) {
				for (const match of code.matchAll(/\bnpm\s+run\s+([a-z][\w:.-]*)/g)) {
					if (!scripts.includes(group(match))) unknown.push(`${file}: npm run ${group(match)}`);
				}
				for (const match of code.matchAll(/\bnpm\s+(?!run\b)([a-z][\w:.-]*)/g)) {
					const name = group(match);
					if (!builtIns.includes(name) && !scripts.includes(name))
						unknown.push(`${file}: npm ${name}`);
				}
			}
		}
		expect(unknown).toEqual([]);
	});

	it('links only to files and headings that exist', () => {
		const broken: string[] = [];
		for (const file of docFiles) {
			const text = read(file);
			const prose = withoutFencedCode(text).replace(/`[^`\n]+`/g, '');
			for (const match of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
				const target = group(match);
				if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
				const [filePart, anchor] = target.split('#');
				const resolved = filePart ? path.join(path.dirname(file), decodeURI(filePart)) : file;
				if (!fs.existsSync(path.join(root, resolved))) {
					broken.push(`${file}: ${target} (no ${resolved})`);
					continue;
				}
				if (anchor && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor)) {
					broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
				}
			}
		}
		expect(broken).toEqual([]);
	});
});
