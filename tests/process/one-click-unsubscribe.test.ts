// RFC 8058: a mail program unsubscribes with one form POST, sent from its servers with no session
// and no Origin. The HTTP server answers it ahead of SvelteKit (which refuses such posts with 403).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningServerUrl } from '../../src/lib/server/db/embedded';
import { postForm, startServer, type RunningServer } from '../support/server-process';

let server: RunningServer;
let dataDir: string;
let sql: postgres.Sql;
beforeAll(async () => {
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'one-click-'));
	server = await startServer(dataDir, { WORKERS: '1' });
	sql = postgres(runningServerUrl(dataDir)!, { max: 1, onnotice: () => {} });
}, 120_000);
afterAll(async () => {
	await sql?.end();
	server?.process.kill('SIGTERM');
	await server?.exited;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A person with a mail already sent: their preferences row and unsubscribe token exist. */
async function personWithToken(): Promise<{ token: string; email: string }> {
	const email = `one-click-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
	const res = await postForm(server, '/signup', {
		name: 'Mail Reader',
		email,
		password: 'plum-tractor-71'
	});
	expect(res.status).toBe(303);
	const token = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
	await sql`insert into email_preferences (user_id, unsubscribe_token)
	          select id, ${token} from users where email = ${email}`;
	return { token, email };
}

const remindersOff = async (email: string) =>
	(
		await sql`select p.reminders_off_at from email_preferences p join users u on u.id = p.user_id
		           where u.email = ${email}`
	)[0]?.reminders_off_at as Date | null;

const oneClick = (token: string, body: BodyInit, type?: string) =>
	fetch(`${server.url}/unsubscribe/${token}`, {
		method: 'POST',
		redirect: 'manual',
		headers: type ? { 'content-type': type } : {},
		body
	});

describe('one-click unsubscribe', () => {
	it('turns reminder mail off for a form POST with no session and no Origin', async () => {
		const { token, email } = await personWithToken();
		const res = await oneClick(
			token,
			'List-Unsubscribe=One-Click',
			'application/x-www-form-urlencoded'
		);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Unsubscribed');
		expect(await remindersOff(email)).toBeInstanceOf(Date);
	});

	it('accepts the multipart form RFC 8058 also allows', async () => {
		const { token, email } = await personWithToken();
		const form = new FormData();
		form.set('List-Unsubscribe', 'One-Click');
		expect((await oneClick(token, form)).status).toBe(200);
		expect(await remindersOff(email)).toBeInstanceOf(Date);
	});

	it('says so, with a 4xx, for an unknown token or another body', async () => {
		const unknown = await oneClick(
			'A'.repeat(22),
			'List-Unsubscribe=One-Click',
			'application/x-www-form-urlencoded'
		);
		expect(unknown.status).toBe(404);
		const { token, email } = await personWithToken();
		const other = await oneClick(token, 'something=else', 'application/x-www-form-urlencoded');
		expect(other.status).toBe(400);
		expect(await other.text()).toContain('List-Unsubscribe=One-Click');
		expect(await remindersOff(email)).toBeNull();
	});

	it('leaves the page and its own button to SvelteKit', async () => {
		const { token } = await personWithToken();
		expect((await fetch(`${server.url}/unsubscribe/${token}`)).status).toBe(200);
		// The page's button posts with the site's Origin: still SvelteKit's form action.
		const button = await postForm(server, `/unsubscribe/${token}`, {});
		expect(button.status).toBe(200);
		expect(await button.text()).toContain('<html');
	});
});
