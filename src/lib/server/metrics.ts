// What /metrics shows about the app, on prom-client's global registry (scripts/server/metrics.js
// serves it, summed over the workers). Figures that describe the whole site rather than one
// process (queue depth, outbox backlog, certificates) are read from the database at scrape time
// and aggregated with "max", so N workers do not report N times the backlog.
import client from 'prom-client';
import { sql } from 'drizzle-orm';
import { databasePoolSize } from './config';
import { db, databaseIsUp } from './db';

export const httpRequestDuration = new client.Histogram({
	name: 'http_request_duration_seconds',
	help: 'Time to answer a request, by SvelteKit route id and status (static files excluded).',
	labelNames: ['method', 'route', 'status'] as const,
	buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
});

let registered = false;

/** Registers the process and database-backed metrics once per process (hooks init). */
export function registerAppMetrics(): void {
	if (registered) return;
	registered = true;
	// Process metrics (CPU, memory, handles) and event-loop lag, per worker, summed or kept apart
	// by prom-client's aggregator.
	client.collectDefaultMetrics({ eventLoopMonitoringPrecision: 10 });

	// postgres.js does not expose how many connections are busy or how many queries wait for
	// one; what we can state is the pool's size and whether the database answers.
	new client.Gauge({
		name: 'db_pool_max_connections',
		help: 'Connections this process may open to PostgreSQL (DATABASE_POOL_SIZE).',
		collect() {
			this.set(databasePoolSize());
		}
	});
	new client.Gauge({
		name: 'db_up',
		help: '1 when PostgreSQL answers a query, else 0.',
		aggregator: 'min',
		async collect() {
			this.set((await databaseIsUp()) ? 1 : 0);
		}
	});
	const depth = new client.Gauge({
		name: 'job_queue_jobs',
		help: 'Jobs in the pg-boss queue by queue and state (failed = failures kept for inspection).',
		labelNames: ['queue', 'state'] as const,
		aggregator: 'max',
		async collect() {
			depth.reset();
			const rows = await siteWide<{ name: string; state: string; n: number }>(
				sql`select name, state::text as state, count(*)::int as n from pgboss.job group by 1, 2`
			);
			for (const r of rows) depth.set({ queue: r.name, state: r.state }, r.n);
		}
	});
	const outbox = new client.Gauge({
		name: 'mail_outbox_backlog',
		help: 'Mails waiting to go out, by status (queued, sending, held, failed).',
		labelNames: ['status'] as const,
		aggregator: 'max',
		async collect() {
			outbox.reset();
			const rows = await siteWide<{ status: string; n: number }>(
				sql`select status, count(*)::int as n from email_outbox where status <> 'sent' group by 1`
			);
			for (const r of rows) outbox.set({ status: r.status }, r.n);
		}
	});
	new client.Gauge({
		name: 'certificates_issued',
		help: 'Certificates issued so far (revoked ones included).',
		aggregator: 'max',
		async collect() {
			const [row] = await siteWide<{ n: number }>(sql`select count(*)::int as n from certificates`);
			this.set(row?.n ?? 0);
		}
	});
}

/** A site-wide count; none while the database is away (the scrape still answers). */
async function siteWide<T>(query: ReturnType<typeof sql>): Promise<T[]> {
	try {
		return (await db().execute(query)) as unknown as T[];
	} catch {
		return [];
	}
}
