// `npm run test:fuzz [-- --runs N] [--seed S]`: the fuzzer of tests/security/fuzz.test.ts at
// full length (10,000 requests unless told), against a fresh production build. Its alphabet
// holds NUL characters and whole numbers past PostgreSQL's integer and bigint ranges.
import { spawnSync } from 'node:child_process';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

const USAGE = `Usage: npm run test:fuzz -- [--runs <n>] [--seed <seed>]

Builds the app, then runs the security suite's fuzzer (tests/security/fuzz.test.ts) against it:
random and malformed requests to every action and endpoint, as four roles.

Options:
  --runs <n>      how many requests (default: 10000)
  --seed <seed>   replay a run (its seed is printed; FUZZ_SEED=… does the same)
  -h, --help      this text`;

const { values } = readCommandLine(USAGE, {
	options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } }
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
	refuseUsage(USAGE, '--runs takes a whole number of requests, such as --runs 10000');
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
