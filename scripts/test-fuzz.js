// `npm run test:fuzz [-- --runs N] [--seed S]`: the fuzzer of tests/security/fuzz.test.ts at
// full length (10,000 requests unless told), against a fresh production build. Its alphabet
// holds NUL characters and whole numbers past PostgreSQL's integer and bigint ranges.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } }
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
	console.error('--runs takes a whole number of requests, such as --runs 10000.');
	process.exit(2);
}
const env = {
	...process.env,
	FUZZ_RUNS: String(runs),
	...(values.seed ? { FUZZ_SEED: values.seed } : {})
};
const step = (/** @type {string} */ cmd, /** @type {string[]} */ args) => {
	const result = spawnSync(cmd, args, { stdio: 'inherit', env });
	if (result.status !== 0) process.exit(result.status ?? 1);
};
step('node', ['scripts/build.js']);
step('npx', ['vitest', 'run', '--project', 'security', 'tests/security/fuzz.test.ts']);
