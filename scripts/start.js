// `npm start`: builds the app when the build is missing or older than the sources, then serves
// it (scripts/server/serve.js). The app itself starts (or connects to) PostgreSQL, migrates,
// and loads the courses.
import './lib/environment.js';
import { execFileSync } from 'node:child_process';
import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { readCommandLine } from './lib/command-line.js';
import { runPrimary, workerCount } from './server/cluster.js';
import { serve } from './server/serve.js';

readCommandLine(
	`Usage: npm start

Builds the app if the build is missing or older than the sources, then serves it on
http://localhost:$PORT (3000), with the embedded PostgreSQL in DATA_DIR (./data) unless
DATABASE_URL is set. Settings come from the environment or from .env in this folder (the
environment wins): see the README's "Settings" table.

Options:
  -h, --help   this text`,
	{}
);

const root = path.resolve(import.meta.dirname, '..');
const buildDir = path.join(root, 'build');
const built = path.join(buildDir, 'handler.js');

/** @param {string} dir @returns {number} */
function newestMtime(dir) {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
		if (t > newest) newest = t;
	}
	return newest;
}

const sources = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'].map((p) =>
	path.join(root, p)
);
const needsBuild =
	cluster.isPrimary &&
	(!fs.existsSync(built) ||
		sources.some(
			(p) =>
				fs.existsSync(p) &&
				(fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs) >
					fs.statSync(built).mtimeMs
		));
if (needsBuild) {
	// One line of progress; the build tool's own output (and its advice, which does not apply
	// here) is shown only if the build fails.
	console.log('First start or sources changed: building the app (about a minute).');
	execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { stdio: 'inherit' });
}

process.env.PORT ??= '3000';
// With no ORIGIN and no proxy, the site is whatever address it was opened at (localhost,
// 127.0.0.1, a LAN address), over plain http: serve() marks each request as http itself, and
// the CSRF check compares a form's Origin with that request's own host, so foreign sites are
// still refused.
const direct = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER && !process.env.HOST_HEADER;
// An empty ORIGIN means unset (adapter-node would refuse it as an invalid URL).
if (!process.env.ORIGIN) delete process.env.ORIGIN;

// npm runs this script under a shell, and a process manager that signals `npm start` signals
// npm, which does not pass SIGTERM on. When the process that started us goes away, stop as if
// signalled, so the site and its database never outlive `npm start`.
// (A cluster worker's parent is the primary, which stops its workers itself.)
const parent = process.ppid;
if (cluster.isPrimary)
	setInterval(() => {
		if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
	}, 500).unref();
// Large enough that an oversized form field gets a clear per-field message, not a bare 413.
process.env.BODY_SIZE_LIMIT ??= '2M';
process.chdir(root);
// WORKERS=1 is the single process of old: it runs the database and serves, all in one.
const workers = cluster.isPrimary ? workerCount(process.env.WORKERS) : 1;
if (cluster.isWorker) await serve(buildDir, process.env, { direct, worker: true });
else if (workers > 1) await runPrimary(root, workers);
else await serve(buildDir, process.env, { direct });
