// A browser-less client of the built server: a cookie jar, form posts the way a browser without
// JavaScript sends them (same Origin, Accept: text/html, no redirects followed), and the steps
// every test needs (sign up, log in, enrol, read lessons, start a quiz).
import { randomBytes } from 'node:crypto';

export const PASSWORD = 'plum-tractor-71';

export type Fields = Record<string, string> | [string, string][];

export interface PostOptions {
	origin?: string | null;
	headers?: Record<string, string>;
}

export class Client {
	readonly cookies = new Map<string, string>();
	constructor(readonly base: string) {}

	get cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	/** Keeps what the server set, and forgets what it deleted. */
	private remember(res: Response) {
		for (const set of res.headers.getSetCookie()) {
			const [pair] = set.split(';');
			const eq = pair!.indexOf('=');
			const name = pair!.slice(0, eq).trim();
			const value = pair!.slice(eq + 1).trim();
			const expired = /max-age=0|expires=Thu, 01 Jan 1970/i.test(set);
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		return res;
	}

	async fetch(path: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader);
		return this.remember(await fetch(this.base + path, { redirect: 'manual', ...init, headers }));
	}

	get(path: string, headers: Record<string, string> = {}) {
		return this.fetch(path, { headers: { accept: 'text/html', ...headers } });
	}

	async text(path: string): Promise<string> {
		return (await this.get(path)).text();
	}

	post(path: string, fields: Fields = {}, { origin, headers = {} }: PostOptions = {}) {
		const sentOrigin = origin === undefined ? this.base : origin;
		return this.fetch(path, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				...(sentOrigin === null ? {} : { origin: sentOrigin }),
				...headers
			},
			body: new URLSearchParams(fields)
		});
	}

	/** A copy of this browser's cookies: a second tab, or an attacker who stole them. */
	clone(): Client {
		const copy = new Client(this.base);
		for (const [k, v] of this.cookies) copy.cookies.set(k, v);
		return copy;
	}
}

export const uniqueEmail = (label: string) =>
	`${label}-${randomBytes(5).toString('hex')}@example.com`;

export interface Account {
	client: Client;
	email: string;
	name: string;
}

export async function signUp(base: string, name = 'Runner', label = 'runner'): Promise<Account> {
	const client = new Client(base);
	const email = uniqueEmail(label);
	const res = await client.post('/signup', { name, email, password: PASSWORD });
	if (res.status !== 303) throw new Error(`sign-up of ${email}: ${res.status} ${await res.text()}`);
	return { client, email, name };
}

export async function logIn(base: string, email: string, password = PASSWORD): Promise<Client> {
	const client = new Client(base);
	const res = await client.post('/login', { email, password });
	if (res.status !== 303) throw new Error(`log-in of ${email}: ${res.status}`);
	return client;
}

export const FIXTURE = '/courses/fixture-course';
export const BASICS_QUIZ = `${FIXTURE}/basics/quiz`;
export const EXAM = `${FIXTURE}/exam`;

/** Enrols in the fixture course and reads module 1's lessons, which opens its quiz. */
export async function openBasicsQuiz(client: Client) {
	expectStatus(await client.post(`${FIXTURE}?/enrol`), 303);
	for (const lesson of ['first-steps', 'second-steps'])
		expectStatus(await client.post(`${FIXTURE}/basics/${lesson}?/done`), 303);
}

export function expectStatus(res: Response, status: number) {
	if (res.status !== status) throw new Error(`${res.url}: expected ${status}, got ${res.status}`);
	return res;
}
