// Every core: the primary process of `npm start` when WORKERS is above 1. It owns what there is
// one of per site (the embedded PostgreSQL, its migrations, the signals, the start-up and
// shutdown lines) and runs one worker per slot (scripts/server/serve.js under node:cluster),
// all accepting on one port. A worker that dies is logged and replaced; SIGTERM drains every
// worker, then stops the database, as a single process does.
import cluster from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveClusterMetrics } from './metrics.js';
import { openLine, requireFreePort } from './serve.js';

/**
 * WORKERS: a whole number of processes, or by default one per core.
 * @param {string | undefined} raw
 * @returns {number}
 */
export function workerCount(raw) {
	const text = raw?.trim();
	if (!text) return os.availableParallelism();
	const n = Number(text);
	if (!Number.isInteger(n) || n < 1 || n > 256) {
		console.error(`WORKERS must be a whole number from 1 to 256 (it is "${text}").`);
		process.exit(1);
	}
	return n;
}

// A worker that keeps dying within this long of its start is restarted no faster than this.
const QUICK_DEATH_MS = 10_000;

/**
 * @param {string} root the project folder (for the database code under src/)
 * @param {number} count
 * @param {NodeJS.ProcessEnv} env
 */
export async function runPrimary(root, count, env = process.env) {
	const host = env.HOST ?? '0.0.0.0';
	const port = Number(env.PORT ?? 3000);
	if (!env.SOCKET_PATH) await requireFreePort(host, port);

	// The database code is TypeScript shared with the app and the CLIs; tsx runs it here as it
	// does for the CLIs. Migrations run before any worker starts, so no worker ever serves (or
	// answers /readyz) against a half-migrated schema.
	const { register } = await import('tsx/esm/api');
	register();
	const database = await import(pathToFileURL(path.join(root, 'src/lib/server/db/index.ts')).href);
	const { DataDirError } = await import(
		pathToFileURL(path.join(root, 'src/lib/server/db/data-dir.ts')).href
	);
	const { SettingError } = await import(
		pathToFileURL(path.join(root, 'src/lib/server/config.ts')).href
	);
	try {
		await database.openDatabase();
	} catch (e) {
		const plain = e instanceof DataDirError || e instanceof SettingError;
		console.error(plain ? /** @type {Error} */ (e).message : e);
		process.exit(1);
	}
	// Workers connect to the database the primary runs (or to the external one) like several
	// app instances do; the pool size applies per worker.
	const workerEnv = { DATABASE_URL: database.databaseUrl() };

	/** @type {Map<number, import('node:cluster').Worker>} */
	const slots = new Map();
	/** @type {Set<number>} */
	const listening = new Set();
	let ready = false;
	/** @type {Promise<void> | undefined} */
	let stopping;

	/** @param {number} slot */
	function fork(slot) {
		const started = Date.now();
		const worker = cluster.fork({ ...workerEnv, WORKER_SLOT: String(slot) });
		slots.set(slot, worker);
		worker.once('listening', () => {
			listening.add(slot);
			if (!ready && listening.size === count) {
				ready = true;
				console.log(readyLine(host, port, env));
			}
		});
		worker.once('exit', (code, signal) => {
			if (slots.get(slot) === worker) slots.delete(slot);
			if (stopping) return;
			const how = signal ? `was killed (${signal})` : `exited (code ${code})`;
			if (!ready) {
				// A worker that cannot start (a bad setting, a broken build) would fail again:
				// stop, having printed its reason, rather than restart it forever.
				console.error(`Worker ${slot} ${how} while starting; stopping.`);
				void stop(1);
				return;
			}
			const wait = Date.now() - started < QUICK_DEATH_MS ? QUICK_DEATH_MS : 0;
			console.error(
				`Worker ${slot} (PID ${worker.process.pid}) ${how}; starting a new one${wait ? ` in ${wait / 1000} s` : ''}.`
			);
			setTimeout(() => {
				if (!stopping) fork(slot);
			}, wait);
		});
	}

	/** @param {number} exitCode */
	function stop(exitCode) {
		stopping ??= (async () => {
			const workers = [...slots.values()];
			const drained = Promise.all(
				workers.map((w) =>
					w.isDead() ? undefined : new Promise((resolve) => w.once('exit', resolve))
				)
			);
			// Each worker stops accepting, lets its requests finish, stops its job queue and
			// closes its connections (serve.js and hooks.server.ts), then exits.
			for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
			const limit = (Number(env.SHUTDOWN_TIMEOUT ?? 30) + 20) * 1000;
			const timer = setTimeout(() => {
				for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
			}, limit);
			await drained;
			clearTimeout(timer);
			await database.closeDatabase();
			if (exitCode === 0) console.log('Stopped: the site and its database are shut down.');
			process.exit(exitCode);
		})();
		return stopping;
	}
	process.on('SIGTERM', () => void stop(0));
	process.on('SIGINT', () => void stop(0));

	serveClusterMetrics();
	for (let slot = 1; slot <= count; slot++) fork(slot);
	return { stop };
}

/**
 * @param {string} host @param {number} port @param {NodeJS.ProcessEnv} env
 */
function readyLine(host, port, env) {
	return env.SOCKET_PATH ? `Listening on ${env.SOCKET_PATH}` : openLine(host, port, env.ORIGIN);
}
