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

// PostgreSQL's own processes, by the title it gives them; every other child serves a client.
const BACKGROUND =
	/^postgres: (checkpointer|background writer|walwriter|autovacuum|io worker|logical replication|walsummarizer|archiver)/;

/**
 * CPU seconds used by a PostgreSQL server: the postmaster, its live backends and workers, and
 * those that have exited (counted in the postmaster's children time once it reaps them); and of
 * that, by its background processes (checkpoints, vacuum, WAL writing), which serve no request.
 */
export function postgresCpuSeconds(dataDir: string): { total: number; background: number } | null {
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
	let background = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		const f = statFields(pid);
		if (!f || Number(f[1]) !== postmaster) continue;
		const used = cpuSeconds(pid) ?? 0;
		total += used;
		if (BACKGROUND.test(title(pid))) background += used;
	}
	return { total, background };
}

function title(pid: number): string {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
	} catch {
		return '';
	}
}

/** Busy and total CPU time of the whole machine so far, in ticks (Linux); null elsewhere. */
export function machineTicks(): { busy: number; total: number } | null {
	try {
		const cpu = fs
			.readFileSync('/proc/stat', 'utf8')
			.split('\n')[0]!
			.split(/\s+/)
			.slice(1)
			.map(Number);
		const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle and iowait
		const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
		return { busy: total - idle, total };
	} catch {
		return null;
	}
}

/**
 * CPU seconds of a process and its live children (a primary and its workers under node:cluster),
 * plus the children that have exited and been reaped.
 */
export function processTreeCpuSeconds(pid: number | undefined): number | null {
	const own = cpuSeconds(pid, true);
	if (own === null || !pid) return own;
	return childrenOf(pid).reduce((sum, child) => sum + (cpuSeconds(child) ?? 0), own);
}

/** A process's live children (Linux); none elsewhere or when it has no children file. */
export function childrenOf(pid: number | undefined): number[] {
	if (!pid) return [];
	try {
		return fs
			.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
			.split(/\s+/)
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}
