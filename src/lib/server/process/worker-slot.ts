// Which process of `npm start` this is. With WORKERS above 1, scripts/server/cluster.js forks one
// worker per slot (WORKER_SLOT=1…N; a restarted worker keeps its slot). Things said or done once
// per site rather than once per process (the loopback notice, re-issuing certificates after an
// address change, the "Stopped" line) are left to the single process or to worker 1.

/** This worker's slot, or undefined in a single process (WORKERS=1, dev, tests). */
export function workerSlot(): number | undefined {
	const slot = Number(process.env.WORKER_SLOT);
	return Number.isInteger(slot) && slot > 0 ? slot : undefined;
}

/** True in a single process and in worker 1: the one that speaks for the whole site. */
export function speaksForSite(): boolean {
	const slot = workerSlot();
	return slot === undefined || slot === 1;
}
