// `npm test [-- word…]`: the whole suite in order, or the steps whose name contains a word,
// stopping at the first failing step.
// type check → lint → unit → integration (PostgreSQL) → courses → build → process → security → durability
// → end-to-end
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-browser.js';

/** @typedef {{ name: string, cmd: string, args: string[], needs?: string[], browser?: boolean }} Step */
/** @type {Step[]} */
const steps = [
	{ name: 'Type check', cmd: 'npm', args: ['run', '-s', 'check'] },
	{ name: 'Lint and format', cmd: 'npm', args: ['run', '-s', 'lint'] },
	{ name: 'Unit tests', cmd: 'npx', args: ['vitest', 'run', '--project', 'unit'] },
	{
		name: 'Integration tests (PostgreSQL)',
		cmd: 'npx',
		args: ['vitest', 'run', '--project', 'integration']
	},
	{ name: 'Course content check', cmd: 'npm', args: ['run', '-s', 'courses:check'] },
	{ name: 'Production build', cmd: 'node', args: ['scripts/build.js'] },
	{
		name: 'Process tests (built server)',
		cmd: 'npx',
		args: ['vitest', 'run', '--project', 'process'],
		needs: ['Production build']
	},
	{
		// Attacks on the built server (docs/security-tests.md), a short fuzz run included.
		name: 'Security tests (built server)',
		cmd: 'npx',
		args: ['vitest', 'run', '--project', 'security'],
		needs: ['Production build'],
		browser: true
	},
	{
		name: 'Durability under kill -9 (3 rounds)',
		cmd: 'npx',
		args: ['tsx', 'scripts/durability.ts', '--rounds', '3'],
		needs: ['Production build']
	},
	{
		name: 'End-to-end tests (Chromium, JavaScript on and off)',
		cmd: 'npx',
		args: ['playwright', 'test'],
		needs: ['Production build'],
		browser: true
	}
];

const words = process.argv.slice(2).map((w) => w.toLowerCase());
const matches = (/** @type {Step} */ s) => words.some((w) => s.name.toLowerCase().includes(w));
const chosen = new Set(
	words.length ? steps.filter(matches).map((s) => s.name) : steps.map((s) => s.name)
);
if (chosen.size === 0) {
	console.error(`✗ No test step matches ${words.map((w) => `"${w}"`).join(', ')}. The steps are:`);
	for (const s of steps) console.error(`  - ${s.name}`);
	process.exit(2);
}
// A step that tests the build gets a fresh one, so it never tests an old build.
for (const s of steps) if (chosen.has(s.name)) for (const n of s.needs ?? []) chosen.add(n);
const run = steps.filter((s) => chosen.has(s.name));

if (run.some((s) => s.browser)) {
	const browser = await findChromium({ install: true });
	if (browser.path === null) {
		console.error(`✗ ${browser.problem}`);
		process.exit(1);
	}
	console.log(
		`Browser for end-to-end tests: ${browser.source}${browser.path ? ` at ${browser.path}` : ''}`
	);
}

const started = Date.now();
for (const { name, cmd, args } of run) {
	console.log(`\n▶ ${name}`);
	const stepStarted = Date.now();
	const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
	const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`\n✗ ${name} failed (${seconds} s).`);
		process.exit(result.status ?? 1);
	}
	console.log(`✓ ${name} (${seconds} s)`);
}
const total = ((Date.now() - started) / 1000).toFixed(0);
console.log(
	`\n${run.length === steps.length ? 'All checks passed' : `${run.length} of ${steps.length} steps passed`} (${total} s).`
);
