// `npm test`: the whole suite, in order, stopping at the first failing step.
// type check → lint → unit → integration (PostgreSQL) → build → process tests → end-to-end (Chromium)
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-browser.js';

const browser = await findChromium({ install: true });
if (browser.path === null) {
	console.error(`✗ ${browser.problem}`);
	process.exit(1);
}
console.log(
	`Browser for end-to-end tests: ${browser.source}${browser.path ? ` at ${browser.path}` : ''}`
);

/** @type {[string, string, string[]][]} */
const steps = [
	['Type check', 'npm', ['run', '-s', 'check']],
	['Lint and format', 'npm', ['run', '-s', 'lint']],
	['Unit tests', 'npx', ['vitest', 'run', '--project', 'unit']],
	['Integration tests (PostgreSQL)', 'npx', ['vitest', 'run', '--project', 'integration']],
	['Course content check', 'npm', ['run', '-s', 'courses:check']],
	['Production build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
	['Process tests (built server)', 'npx', ['vitest', 'run', '--project', 'process']],
	['End-to-end tests (Chromium, JavaScript on and off)', 'npx', ['playwright', 'test']]
];

const only = process.argv.slice(2);
for (const [name, cmd, args] of steps) {
	if (only.length && !only.some((o) => name.toLowerCase().includes(o.toLowerCase()))) continue;
	console.log(`\n▶ ${name}`);
	const started = Date.now();
	const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`\n✗ ${name} failed (${seconds} s).`);
		process.exit(result.status ?? 1);
	}
	console.log(`✓ ${name} (${seconds} s)`);
}
console.log('\nAll checks passed.');
