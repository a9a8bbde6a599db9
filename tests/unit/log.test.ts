// The app's log leaves in batches (src/lib/server/log.ts): fewer writes, none lost, warnings at once.
import { describe, expect, it } from 'vitest';
import { batchedWriter, logFormat } from '../../src/lib/server/log';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the batched log writer', () => {
	it('writes the lines of a burst together, once the delay is over', async () => {
		const writes: string[] = [];
		const out = batchedWriter((t) => writes.push(t), { delayMs: 30 });
		out.write('one\n');
		out.write('two\n');
		expect(writes).toEqual([]);
		await wait(60);
		expect(writes).toEqual(['one\ntwo\n']);
		out.write('three\n');
		await wait(60);
		expect(writes).toEqual(['one\ntwo\n', 'three\n']);
	});

	it('writes a warning at once, after the lines waiting before it', () => {
		const writes: string[] = [];
		const out = batchedWriter((t) => writes.push(t), { delayMs: 10_000 });
		out.write('request\n');
		out.write('warning\n', true);
		expect(writes).toEqual(['request\nwarning\n']);
	});

	it('writes when the batch is full, and what waits on flush', () => {
		const writes: string[] = [];
		const out = batchedWriter((t) => writes.push(t), { delayMs: 10_000, maxBytes: 10 });
		out.write('12345\n');
		expect(writes).toEqual([]);
		out.write('67890\n');
		expect(writes).toEqual(['12345\n67890\n']);
		out.write('last\n');
		out.flush();
		expect(writes).toEqual(['12345\n67890\n', 'last\n']);
		out.flush();
		expect(writes).toHaveLength(2);
	});
});

describe('the log format', () => {
	it('is JSON in production or when asked, readable lines otherwise', () => {
		expect(logFormat({ NODE_ENV: 'production' })).toBe('json');
		expect(logFormat({ LOG_FORMAT: 'text', NODE_ENV: 'production' })).toBe('text');
		expect(logFormat({ LOG_FORMAT: 'JSON' })).toBe('json');
		expect(logFormat({})).toBe('text');
	});
});
