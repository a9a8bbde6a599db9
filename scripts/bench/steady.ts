// Load at a steady rate (`npm run bench -- --rate N`): requests leave on a fixed schedule, N a
// second, whether or not earlier ones were answered, and each one's time counts from when it
// was due. autocannon cannot do this: its own rate option sends each connection's share of the
// second at once and then waits, so every second starts with a burst, and it fills in the
// latencies it thinks a burst hid. Here a slow answer delays no later request, and a request
// that waited for a free connection is charged the wait.
import http from 'node:http';
import type { Request } from 'autocannon';

export interface SteadyResult {
	/** Each answered request's time, from when it was due until its answer ended. */
	latenciesMs: number[];
	sent: number;
	errors: number;
	non2xx: number;
	/** From the first request until the last answer: longer than planned if the server fell behind. */
	seconds: number;
}

export async function steadyLoad(
	url: string,
	next: () => Request,
	{ rate, seconds, connections }: { rate: number; seconds: number; connections: number }
): Promise<SteadyResult> {
	const base = new URL(url);
	// At most `connections` open at once, kept alive, as autocannon's connections are.
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
	const result: SteadyResult = { latenciesMs: [], sent: 0, errors: 0, non2xx: 0, seconds: 0 };
	const pending: Promise<void>[] = [];
	const start = performance.now();
	const total = Math.floor(rate * seconds);
	for (let i = 0; i < total; i++) {
		const due = start + (i * 1000) / rate;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		const req = next();
		result.sent++;
		pending.push(
			send(base, req, agent).then(
				(status) => {
					result.latenciesMs.push(performance.now() - due);
					if (status < 200 || status >= 300) result.non2xx++;
				},
				() => void result.errors++
			)
		);
	}
	await Promise.all(pending);
	result.seconds = (performance.now() - start) / 1000;
	agent.destroy();
	return result;
}

function send(base: URL, req: Request, agent: http.Agent): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				agent,
				host: base.hostname,
				port: base.port,
				method: req.method ?? 'GET',
				path: req.path ?? '/',
				headers: req.headers,
				timeout: 10_000
			},
			(response) => {
				response.resume();
				response.once('end', () => resolve(response.statusCode ?? 0));
				response.once('error', reject);
			}
		);
		request.once('timeout', () => request.destroy(new Error('timed out')));
		request.once('error', reject);
		request.end(req.body);
	});
}

/** The value below which `share` of the sorted list lies (nearest rank). */
export function percentile(sorted: number[], share: number): number {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}
