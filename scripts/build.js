// The production build, with one line of progress instead of the build tool's own output
// (its "run npm run preview" advice does not apply here). The full log is printed on failure.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const started = Date.now();
process.stdout.write('Building the app… ');
// Always a production build, whatever NODE_ENV the caller has (a test runner sets "test", which
// would give a bigger, slower build with development checks left in).
const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
	cwd: root,
	encoding: 'utf8',
	env: { ...process.env, NODE_ENV: 'production' }
});
if (result.status !== 0) {
	console.log('failed.');
	console.error(result.stdout, result.stderr);
	process.exit(result.status ?? 1);
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
