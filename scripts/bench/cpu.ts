// CPU time used by the processes of a run, from Linux's /proc (null elsewhere): to tell, per
// scenario, whether the app, PostgreSQL or the load generator itself spent the machine's time.
import fs from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux Node supports

/** Fields after the command name of /proc/<pid>/stat (the name may hold spaces). */
function statFields(pid: number): string[] | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return null;
	}
}

/** CPU seconds a process has used; with `reaped`, also those of its children that have exited. */
export function cpuSeconds(pid: number | undefined, reaped = false): number | null {
	const f = pid ? statFields(pid) : null;
	if (!f) return null;
	// utime, stime, cutime, cstime are fields 14 to 17 of stat; f starts at field 3.
	const [utime, stime, cutime, cstime] = f.slice(11, 15).map(Number) as [
		number,
		number,
		number,
		number
	];
	return (utime + stime + (reaped ? cutime + cstime : 0)) / TICKS_PER_SECOND;
}

/**
 * CPU seconds used by a PostgreSQL server: the postmaster, its live backends and workers, and
 * those that have exited (counted in the postmaster's children time once it reaps them).
 */
export function postgresCpuSeconds(dataDir: string): number | null {
	let postmaster: number;
	try {
		postmaster = Number(
			fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]
		);
	} catch {
		return null;
	}
	let total = cpuSeconds(postmaster, true);
	if (total === null) return null;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const f = statFields(Number(entry));
		if (f && Number(f[1]) === postmaster) total += cpuSeconds(Number(entry)) ?? 0;
	}
	return total;
}
