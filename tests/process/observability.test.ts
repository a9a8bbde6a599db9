// What an operator reads: JSON request logs without personal data, /metrics summed over the
// workers and parsed as Prometheus text, shown only from loopback or with the token, and the
// health and readiness checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error the package ships no types
import parsePrometheusTextFormatUntyped from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, startServer, type RunningServer } from '../support/server-process';

interface Family {
	name: string;
	type: string;
	metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string> }[];
}

const parsePrometheusTextFormat = parsePrometheusTextFormatUntyped as (text: string) => unknown;

const TOKEN = 'metrics-token-for-the-test';
let server: RunningServer;
let dataDir: string;
beforeAll(async () => {
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observability-'));
	server = await startServer(dataDir, {
		WORKERS: '2',
		LOG_FORMAT: 'json',
		METRICS_TOKEN: TOKEN,
		HOST: '0.0.0.0'
	});
}, 120_000);
afterAll(async () => {
	server?.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

const lanAddress = Object.values(os.networkInterfaces())
	.flat()
	.find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('metrics', () => {
	it('scrapes as Prometheus text, with request histograms summed over both workers', async () => {
		for (let i = 0; i < 30; i++) expect((await fetch(`${server.url}/courses`)).status).toBe(200);
		const res = await fetch(`${server.url}/metrics`);
		expect(res.status).toBe(200);
		const text = await res.text();
		const families = parsePrometheusTextFormat(text) as Family[];
		const byName = new Map(families.map((f) => [f.name, f]));
		const histogram = byName.get('http_request_duration_seconds');
		expect(histogram?.type).toBe('HISTOGRAM');
		expect(histogram!.metrics.length).toBeGreaterThan(0);
		// The parser keeps a histogram's buckets but drops its labels and count: read the count
		// line itself (30 requests spread over two workers, summed).
		const count = text.match(
			/^http_request_duration_seconds_count\{method="GET",route="\/\(public\)\/courses",status="200"\} (\d+)$/m
		);
		expect(Number(count?.[1])).toBe(30);
		for (const name of [
			'db_pool_max_connections',
			'db_up',
			'mail_outbox_backlog',
			'certificates_issued',
			'nodejs_eventloop_lag_p99_seconds',
			'process_cpu_seconds_total'
		])
			expect(byName.has(name), name).toBe(true);
		expect(byName.get('db_up')?.metrics[0]?.value).toBe('1');
	});

	it('is a plain 404 through a proxy or from another machine without the token', async () => {
		for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
			const res = await fetch(`${server.url}/metrics`, { headers: { [header]: '203.0.113.9' } });
			expect(res.status, header).toBe(404);
		}
		const wrong = await fetch(`${server.url}/metrics`, {
			headers: { 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer nope' }
		});
		expect(wrong.status).toBe(404);
		const withToken = await fetch(`${server.url}/metrics`, {
			headers: { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${TOKEN}` }
		});
		expect(withToken.status).toBe(200);
		if (lanAddress) {
			const port = new URL(server.url).port;
			const remote = await fetch(`http://${lanAddress}:${port}/metrics`);
			expect(remote.status).toBe(404);
			expect(await remote.text()).not.toContain('http_request_duration');
		}
	});
});

describe('health', () => {
	it('/healthz names the version and /readyz answers 200 once migrated', async () => {
		const health: unknown = await (await fetch(`${server.url}/healthz`)).json();
		expect(health).toEqual({ status: 'ok', database: 'ok', version: '0.1.0' });
		expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
	});
});

describe('logs', () => {
	it('one JSON line per request, with request and route ids and no personal data', async () => {
		const email = `logged-${Date.now()}@example.com`;
		const signUp = await postForm(server, '/signup?secret=query-value', {
			name: 'Log Reader',
			email,
			password: 'plum-tractor-71'
		});
		expect(signUp.status).toBe(303);
		const requestId = signUp.headers.get('x-request-id');
		expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
		await new Promise((r) => setTimeout(r, 300));
		const lines = server
			.output()
			.split('\n')
			.filter((l) => l.startsWith('{'))
			.map((l) => JSON.parse(l) as Record<string, unknown>);
		const line = lines.find((l) => l.reqId === requestId);
		expect(line).toMatchObject({
			level: 30,
			msg: 'request',
			method: 'POST',
			route: '/(public)/signup',
			status: 303
		});
		expect(typeof line?.time).toBe('number');
		expect(typeof line?.ms).toBe('number');
		expect(server.output()).not.toContain(email);
		expect(server.output()).not.toContain('query-value');
		expect(server.output()).not.toContain('plum-tractor-71');
	});

	it('logs the status the visitor got when a later hook turns the request away (not a 500)', async () => {
		// Anonymous: the route guard sends the visitor to log in from a learner's page and a
		// coach's, a hook after the log's turning each request away.
		const answered = new Map<string, number>();
		for (const [p, route] of [
			['/dashboard', '/(learner)/dashboard'],
			['/coach', '/(coach)/coach']
		] as const) {
			const res = await fetch(`${server.url}${p}`, { redirect: 'manual' });
			expect(res.status).toBeLessThan(500);
			answered.set(route, res.status);
		}
		await new Promise((r) => setTimeout(r, 300));
		const lines = server
			.output()
			.split('\n')
			.filter((l) => l.startsWith('{'))
			.map((l) => JSON.parse(l) as Record<string, unknown>);
		for (const [route, status] of answered)
			expect(lines.findLast((l) => l.route === route)?.status, route).toBe(status);
	});
});
