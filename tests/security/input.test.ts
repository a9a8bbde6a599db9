// Bad input gets a clear answer, never a crash (SECURITY.md promise 10): oversized, missing,
// malformed and wrongly typed fields get a 4xx with a message, a body over the limit is refused
// before any work, and the server stays up.
import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import {
	BASICS_QUIZ,
	Client,
	openBasicsQuiz,
	PASSWORD,
	signUp,
	uniqueEmail
} from './support/client';

const base = inject('appUrl');
const { port } = new URL(base);

/** A raw request, so a refused body can be seen exactly as a client sees it. */
function raw(path: string, body: Buffer, headers: http.OutgoingHttpHeaders = {}) {
	return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
		(resolve, reject) => {
			const req = http.request(
				{
					host: '127.0.0.1',
					port,
					method: 'POST',
					path,
					headers: {
						origin: base,
						accept: 'text/html',
						'content-type': 'application/x-www-form-urlencoded',
						'content-length': body.length,
						...headers
					}
				},
				(res) => {
					let text = '';
					res.on('data', (d: Buffer) => (text += d.toString()));
					res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
				}
			);
			// The server may answer and close before it has read everything: that is the point.
			req.on('error', (e: NodeJS.ErrnoException) =>
				e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)
			);
			req.end(body);
		}
	);
}

describe('a body over the size limit', () => {
	it('is refused with 413 before it is read, on log-in, sign-up and a quiz, and the server stays up', async () => {
		const big = Buffer.from('password=' + 'a'.repeat(3 * 1024 * 1024));
		const { client } = await signUp(base, 'Big Sender');
		await openBasicsQuiz(client);
		expect((await client.post(`${BASICS_QUIZ}?/start`)).status).toBe(303);
		const asLearner = { cookie: client.cookieHeader };
		for (const [path, headers] of [
			['/login', {}],
			['/signup', {}],
			['/courses/fixture-course/basics/quiz?/submit', asLearner],
			['/account?/profile', asLearner]
		] as const) {
			const res = await raw(path, big, headers);
			expect(res.status, path).toBe(413);
			expect(res.headers.connection, path).toBe('close');
		}
		// Claimed, not sent: a Content-Length over the limit is refused on the header alone.
		const claimed = await raw('/login', Buffer.from('x=1'), { 'content-length': 50 * 1024 ** 2 });
		expect(claimed.status).toBe(413);
		expect((await fetch(base + '/healthz')).status).toBe(200);
	});
});

describe('oversized, missing, malformed and wrongly typed fields', () => {
	const visitor = () => new Client(base);
	const huge = 'a'.repeat(1024 * 1024);

	it('get a 400 with a message beside the field', async () => {
		const cases: [string, Record<string, string>, RegExp][] = [
			[
				'1 MB password',
				{ name: 'Big', email: uniqueEmail('big'), password: huge },
				/Use at most 128 characters/
			],
			[
				'1 MB name',
				{ name: huge, email: uniqueEmail('big'), password: PASSWORD },
				/at most 80 characters/
			],
			['1 MB email', { name: 'Big', email: huge + '@example.com', password: PASSWORD }, /too long/],
			['nothing', {}, /Name is required/],
			['no at sign', { name: 'Ok', email: 'no-at-sign', password: PASSWORD }, /valid email/],
			[
				'control characters',
				{ name: 'a\u0007b', email: uniqueEmail('ctl'), password: PASSWORD },
				/invalid characters/
			],
			// Refused for every form where forms are read (PostgreSQL's text cannot hold it).
			[
				'a NUL character',
				{ name: 'a\u0000b', email: uniqueEmail('nul'), password: PASSWORD },
				/contains a NUL character/
			]
		];
		for (const [what, fields, message] of cases) {
			const res = await visitor().post('/signup', fields);
			expect(res.status, what).toBe(400);
			expect(await res.text(), what).toMatch(message);
		}
		const login = await visitor().post('/login', { email: uniqueEmail('big'), password: huge });
		expect(login.status).toBe(400);
	});

	it('as a repeated field, a file, broken multipart or JSON get a 4xx, never a 500', async () => {
		const { client } = await signUp(base, 'Typist');
		const twice = await client.post('/account?/profile', [
			['name', 'One'],
			['name', 'Two']
		]);
		expect(twice.status).toBe(400);
		expect(await twice.text()).toContain('Send this field only once.');
		const file = new FormData();
		file.append('name', new Blob(['hi'], { type: 'text/plain' }), 'x.txt');
		const asFile = await client.fetch('/account?/profile', {
			method: 'POST',
			headers: { origin: base, accept: 'text/html' },
			body: file
		});
		expect(asFile.status).toBe(400);
		expect(await asFile.text()).toMatch(/as text, not a file/);
		for (const [type, body] of [
			['multipart/form-data; boundary=x', 'junk'],
			['multipart/form-data', '--x\r\n'],
			['application/x-www-form-urlencoded', '%E0%A4%A=%%%&&=='],
			['application/json', '{"name":"x"}'],
			['text/plain', 'name=x'],
			['application/octet-stream', '\u0000\u0001']
		]) {
			const res = await client.fetch('/account?/profile', {
				method: 'POST',
				headers: { origin: base, accept: 'text/html', 'content-type': type! },
				body
			});
			expect(res.status, type).toBeGreaterThanOrEqual(400);
			expect(res.status, type).toBeLessThan(500);
		}
		expect((await client.get('/account')).status).toBe(200);
	});
});
