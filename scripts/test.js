// `npm test [-- word…]`: the whole suite in order, or the steps whose name contains a word,
// stopping at the first failing step.
// type check with lint, and unit with integration (PostgreSQL), each pair side by side → courses
// → build → process → security → durability → end-to-end
import { spawn, spawnSync } from 'node:child_process';
import { findChromium } from './find-browser.js';
import { readCommandLine } from './lib/command-line.js';

/**
 * A step runs one command, or several side by side (`alongside`: single-threaded checks that
 * would leave the second core idle), each one's output printed whole when it ends.
 * @typedef {{ cmd: string, args: string[] }} Command
 * @typedef {Command & { name: string, alongside?: Command[], needs?: string[], browser?: boolean }} Step
 */
/** @type {Step[]} */
const steps = [
	{
		name: 'Type check, lint and format',
		cmd: 'npm',
		args: ['run', '-s', 'check'],
		alongside: [{ cmd: 'npm', args: ['run', '-s', 'lint'] }]
	},
	{
		// Side by side: the integration tests spend much of their time waiting on PostgreSQL.
		name: 'Unit and integration tests (PostgreSQL)',
		cmd: 'npx',
		args: ['vitest', 'run', '--project', 'unit'],
		alongside: [{ cmd: 'npx', args: ['vitest', 'run', '--project', 'integration'] }]
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

const { positionals } = readCommandLine(
	`Usage: npm test -- [word…]

Runs the whole suite in this order, stopping at the first failing step; with words, only the
steps whose name holds one of them (and the build they need):
${steps.map((s) => `  - ${s.name}`).join('\n')}

Options:
  -h, --help   this text`,
	{ allowPositionals: true, options: {} }
);
// Servers the tests start run one process unless a test asks for workers (tests/process/
// workers.test.ts, site-address-workers.test.ts and the observability and encrypted-backup
// tests set WORKERS=2 themselves):
// on a 2-core CI machine a second worker per test server costs time and adds nothing the worker
// tests do not check.
process.env.WORKERS ??= '1';
const words = positionals.map((w) => w.toLowerCase());
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
/** @param {Command[]} commands @returns {Promise<number>} the first non-zero exit status, or 0 */
async function runAlongside(commands) {
	const statuses = await Promise.all(
		commands.map(
			({ cmd, args }) =>
				new Promise((resolve) => {
					const child = spawn(cmd, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
					/** @type {Buffer[]} */
					const output = [];
					child.stdout.on('data', (d) => output.push(d));
					child.stderr.on('data', (d) => output.push(d));
					child.on('close', (code) => {
						process.stdout.write(`$ ${cmd} ${args.join(' ')}\n${Buffer.concat(output)}`);
						resolve(code ?? 1);
					});
				})
		)
	);
	return statuses.find((s) => s !== 0) ?? 0;
}

for (const { name, cmd, args, alongside } of run) {
	console.log(`\n▶ ${name}`);
	const stepStarted = Date.now();
	const status = alongside
		? await runAlongside([{ cmd, args }, ...alongside])
		: spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status;
	const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
	if (status !== 0) {
		console.error(`\n✗ ${name} failed (${seconds} s).`);
		process.exit(status ?? 1);
	}
	console.log(`✓ ${name} (${seconds} s)`);
}
const total = ((Date.now() - started) / 1000).toFixed(0);
console.log(
	`\n${run.length === steps.length ? 'All checks passed' : `${run.length} of ${steps.length} steps passed`} (${total} s).`
);
