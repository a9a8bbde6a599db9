// `npm start`: builds the app when the build is missing or older than the sources, then serves
// it (scripts/server/serve.js). The app itself starts (or connects to) PostgreSQL, migrates,
// and loads the courses.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './server/serve.js';

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
	!fs.existsSync(built) ||
	sources.some(
		(p) =>
			fs.existsSync(p) &&
			(fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs) >
				fs.statSync(built).mtimeMs
	);
if (needsBuild) {
	console.log('Building the app (first start or sources changed)…');
	execSync('npx vite build', { cwd: root, stdio: 'inherit' });
}

process.env.PORT ??= '3000';
// adapter-node assumes https when ORIGIN is unset; a laptop install is plain http on localhost.
if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER && !process.env.HOST_HEADER)
	process.env.ORIGIN = `http://localhost:${process.env.PORT}`;
// Large enough that an oversized form field gets a clear per-field message, not a bare 413.
process.env.BODY_SIZE_LIMIT ??= '2M';
process.chdir(root);
await serve(buildDir);
