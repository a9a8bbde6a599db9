// The app's log: pino, as JSON lines (time, level, msg and fields) when LOG_FORMAT=json, the
// default when NODE_ENV=production, else one readable line per entry. Start-up and shutdown lines
// stay plain console lines: scripts and people read them as they are.
import pino from 'pino';

export function logFormat(env: NodeJS.ProcessEnv = process.env): 'json' | 'text' {
	const chosen = env.LOG_FORMAT?.trim().toLowerCase();
	if (chosen === 'json' || chosen === 'text') return chosen;
	return env.NODE_ENV === 'production' ? 'json' : 'text';
}

/** "12:00:01.234 INFO  GET /courses/[id] 200 3.1 ms  req=…": for a person at a terminal. */
function readableLine(json: string): string {
	const { time, level, msg, ...fields } = JSON.parse(json) as Record<string, unknown>;
	const name = (pino.levels.labels[Number(level)] ?? String(level)).toUpperCase().padEnd(5);
	const clock = new Date(Number(time)).toISOString().slice(11, 23);
	const rest = Object.entries(fields)
		.filter(([k]) => k !== 'pid' && k !== 'hostname')
		.map(([k, v]) =>
			k === 'err' && v && typeof v === 'object' && 'stack' in v
				? `\n${String(v.stack)}`
				: `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`
		)
		.join(' ');
	const text = typeof msg === 'string' ? msg : JSON.stringify(msg ?? '');
	return `${clock} ${name} ${text}${rest ? `  ${rest}` : ''}\n`;
}

function destination(format: 'json' | 'text') {
	if (format === 'json') return pino.destination({ fd: 1, sync: true });
	return {
		write(line: string) {
			process.stdout.write(readableLine(line));
		}
	};
}

export const log = pino(
	{ level: process.env.LOG_LEVEL?.trim() || 'info', base: { pid: process.pid } },
	destination(logFormat())
);
