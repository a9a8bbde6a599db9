// `npm run admin` finds the running site's database the way `npm start` does (DATA_DIR from the
// environment or from the settings file, same default), and an account it creates can log in to
// that site. Pointed at a folder with no database, it refuses in one line naming the folder, and
// creates nothing there (it used to make a second, empty database and report success).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, postForm, waitForHealthy, type RunningServer } from '../support/server-process';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-admin-cli-'));
fs.chmodSync(root, 0o755);
const siteDir = path.join(root, 'site-data');
const envFile = path.join(root, 'site.env');
const ADMIN_SCRIPT = path.resolve('scripts/admin.ts');
// By path, so the CLI can run from another folder too.
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const PASSWORD = 'plum-tractor-71';
let server: RunningServer;

/** The environment without DATA_DIR or DATABASE_URL: only what a settings file gives. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.DATA_DIR;
	delete env.DATABASE_URL;
	return { ...env, ...extra };
}

function admin(args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) {
	const r = spawnSync(process.execPath, ['--import', TSX, ADMIN_SCRIPT, ...args], {
		env,
		cwd,
		input: `${PASSWORD}\n`,
		encoding: 'utf8',
		timeout: 60_000
	});
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
	// The site is started as an operator would with a settings file: DATA_DIR is in it, not in
	// the environment.
	fs.writeFileSync(envFile, `DATA_DIR=${siteDir}\n`);
	const port = await freePort();
	const url = `http://localhost:${port}`;
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: bareEnv({ ENV_FILE: envFile, PORT: String(port), ORIGIN: url }),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
	server = { url, process: child, output: () => out, exited };
	await waitForHealthy(server, 120_000);
}, 180_000);

afterAll(async () => {
	if (server?.process.exitCode === null) server.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(root, { recursive: true, force: true });
});

describe('the admin CLI and the running site', () => {
	it('npm start read DATA_DIR from the settings file', () => {
		expect(fs.existsSync(path.join(siteDir, 'postgres', 'PG_VERSION'))).toBe(true);
	});

	it("creates an admin in the running site's database, who can then log in", async () => {
		const made = admin(
			['create-admin', '--email', 'head@club.test', '--name', 'Head Coach'],
			bareEnv({ ENV_FILE: envFile })
		);
		expect(made.stderr).toBe('');
		expect(made.stdout.trim()).toBe(
			`Created admin head@club.test in the running site's database in ${siteDir}.`
		);
		expect(made.code).toBe(0);
		const login = await postForm(server, '/login', {
			email: 'head@club.test',
			password: PASSWORD
		});
		expect(login.status).toBe(303);
		expect(login.headers.get('location')).not.toMatch(/login/);
		// DATA_DIR in the environment names the same site.
		const listed = admin(['list-users'], { ...process.env, DATA_DIR: siteDir });
		expect(listed.stdout).toContain('head@club.test\tadmin\tactive\tHead Coach');
	});

	it('refuses in one line, naming the folder, when DATA_DIR holds no database', () => {
		const elsewhere = path.join(root, 'not-the-site');
		const refused = admin(
			['create-admin', '--email', 'ghost@club.test', '--name', 'Ghost'],
			bareEnv({ DATA_DIR: elsewhere })
		);
		expect(refused.stdout).toBe('');
		expect(refused.stderr.trim().split('\n')).toHaveLength(1);
		expect(refused.stderr).toContain(`No site database in ${elsewhere} (DATA_DIR).`);
		expect(refused.code).toBe(1);
		expect(fs.existsSync(elsewhere)).toBe(false);
	});

	it('says when it looked in the default ./data because DATA_DIR is not set', () => {
		const cwd = fs.mkdtempSync(path.join(root, 'cwd-'));
		const refused = admin(['list-users'], bareEnv({}), cwd);
		expect(refused.stderr.trim()).toMatch(
			new RegExp(
				`^No site database in ${path.join(cwd, 'data')} \\(DATA_DIR is not set, so the default\\)\\.`
			)
		);
		expect(refused.code).toBe(1);
		expect(fs.existsSync(path.join(cwd, 'data'))).toBe(false);
	});
});
