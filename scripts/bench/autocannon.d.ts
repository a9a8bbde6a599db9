// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
	export interface Request {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		body?: string;
		setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
	}
	export interface Histogram {
		average: number;
		mean: number;
		p50: number;
		p97_5: number;
		p99: number;
		max: number;
	}
	export interface Result {
		requests: Histogram & { total: number; sent: number };
		latency: Histogram;
		throughput: Histogram;
		errors: number;
		timeouts: number;
		non2xx: number;
		duration: number;
		statusCodeStats?: Record<string, { count: number }>;
	}
	export interface Options {
		url: string;
		connections?: number;
		duration?: number;
		pipelining?: number;
		timeout?: number;
		requests?: Request[];
		headers?: Record<string, string>;
	}
	export interface Instance extends PromiseLike<Result> {
		stop(): void;
	}
	export default function autocannon(options: Options): Instance;
}
