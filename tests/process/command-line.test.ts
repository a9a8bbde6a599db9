// Every command of ours in package.json (each script that runs a file in scripts/), run as the
// README says, with `-- --help` and with `-- --bogus`: the usage on stdout and exit 0, or one line
// on stderr and exit 2. Neither starts anything: no data dir, no backup folder, no build.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-cli-'));
const dataDir = path.join(scratch, 'data');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const scripts = (
	JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
		scripts: Record<string, string>;
	}
).scripts;
/** Ours: the scripts that run a file in scripts/ (the rest are vite, vitest, eslint… themselves). */
const ours = Object.entries(scripts)
	.filter(([, command]) => /^(node|tsx)\b.*\bscripts\//.test(command))
	.map(([name]) => name);
const npmArgs = (name: string) =>
	name === 'start' || name === 'test' ? [name] : ['run', '-s', name];
/** How the command names itself: test:security is `npm test` with a word. */
const shown = (name: string) =>
	name === 'start' || name === 'test' || name === 'test:security'
		? `npm ${name === 'start' ? 'start' : 'test'}`
		: `npm run ${name}`;

function npm(args: string[], extra: string): Promise<Run> {
	return new Promise((resolve) =>
		execFile(
			'npm',
			[...args, '--', extra],
			{
				env: { ...process.env, DATA_DIR: dataDir, npm_config_loglevel: 'silent' },
				timeout: 60_000
			},
			(error, stdout, stderr) =>
				resolve({
					code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
					stdout,
					stderr
				})
		)
	);
}

const buildTime = () =>
	fs.existsSync('build/handler.js') ? fs.statSync('build/handler.js').mtimeMs : 0;

describe('the commands answer --help and refuse unknown options', () => {
	it('covers the commands the README names', () => {
		for (const name of [
			'start',
			'test',
			'test:security',
			'test:fuzz',
			'test:durability',
			'test:backup-durability',
			'db:migrate',
			'courses:check',
			'admin',
			'verify-credential',
			'bench',
			'screenshots',
			'backup',
			'restore'
		])
			expect(ours).toContain(name);
	});

	it.each(ours)('%s -- --help prints its usage and exits 0', { timeout: 90_000 }, async (name) => {
		const built = buildTime();
		const run = await npm(npmArgs(name), '--help');
		expect(run.stderr).toBe('');
		expect(run.stdout).toMatch(new RegExp(`^Usage: ${shown(name).replace(/[:]/g, '.')}\\b`));
		expect(run.code).toBe(0);
		expect(fs.existsSync(dataDir)).toBe(false);
		expect(buildTime()).toBe(built);
	});

	it.each(ours)(
		'%s -- --bogus is refused in one line, exit 2',
		{ timeout: 90_000 },
		async (name) => {
			const built = buildTime();
			const run = await npm(npmArgs(name), '--bogus');
			expect(run.stdout).toBe('');
			expect(run.stderr).toBe(
				`${shown(name)}: unknown option --bogus (see ${shown(name)} -- --help).\n`
			);
			expect(run.code).toBe(2);
			expect(fs.existsSync(dataDir)).toBe(false);
			expect(buildTime()).toBe(built);
		}
	);
});
