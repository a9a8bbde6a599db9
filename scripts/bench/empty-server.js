// The empty SvelteKit page's server for the bench: the build in BENCH_EMPTY_BUILD served by
// scripts/server/serve.js, as one process or (WORKERS above 1) as a primary forking that many
// workers sharing the port, the way the app runs under `npm start`.
import cluster from 'node:cluster';
import { serve } from '../server/serve.js';

const workers = Number(process.env.WORKERS ?? 1);
const build = /** @type {string} */ (process.env.BENCH_EMPTY_BUILD);
if (cluster.isPrimary && workers > 1) for (let i = 0; i < workers; i++) cluster.fork();
else await serve(build, process.env, { direct: true, worker: cluster.isWorker });
