// Mail delivery on PostgreSQL through pg-boss and a real SMTP conversation: a tiny SMTP sink
// (node:net, one message per connection) stands in for the mail server, so nodemailer really
// talks SMTP. Two job workers on one database send each mail once.
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { now } from '../../src/lib/server/clock';
import { emailOutbox } from '../../src/lib/server/db/schema';
import { startJobs, type Jobs } from '../../src/lib/server/jobs/jobs';
import { deliverQueued } from '../../src/lib/server/mail/outbox';
import { smtpTransport, type MailTransport } from '../../src/lib/server/mail/transport';
import { notifyInvitation } from '../../src/lib/server/notifications/notifications';
import { freshDatabase } from '../support/fresh-database';

/** Accepts SMTP conversations and keeps each message's raw DATA. */
function smtpSink() {
	const messages: string[] = [];
	const server = net.createServer((socket) => {
		let buffer = '';
		let data: string | null = null;
		socket.write('220 sink ESMTP\r\n');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (data !== null) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					messages.push(data + buffer.slice(0, end));
					buffer = buffer.slice(end + 5);
					data = null;
					socket.write('250 queued\r\n');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.slice(0, eol).toUpperCase();
				buffer = buffer.slice(eol + 2);
				if (line.startsWith('DATA')) {
					data = '';
					socket.write('354 go ahead\r\n');
				} else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
				else socket.write('250 ok\r\n');
			}
		});
		socket.on('error', () => {});
	});
	return {
		messages,
		listen: () =>
			new Promise<number>((resolve) =>
				server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
			),
		close: () => new Promise((resolve) => server.close(resolve))
	};
}

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let url: string;
const sink = smtpSink();
let port: number;

beforeAll(async () => {
	({ db, url } = await freshDatabase());
	port = await sink.listen();
	// Mails are queued for sending (not held) only when SMTP is configured.
	process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
	process.env.MAIL_FROM = 'Stride Academy <noreply@example.com>';
	process.env.ORIGIN = 'https://learn.example.org';
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	delete process.env.MAIL_FROM;
	delete process.env.ORIGIN;
	await sink.close();
});

let n = 0;
async function athlete() {
	n++;
	const email = `athlete-${n}@example.com`;
	const made = await createUser({ name: `Athlete ${n}`, email, password: 'plum-tractor-71' });
	if (!made.ok) throw new Error(made.message);
	return { id: made.value.id, email };
}

const invite = (userId: string) =>
	notifyInvitation({ userId, teamName: 'Harriers', coachName: 'Coach Carter', href: '/join/abc' });

const rowsTo = (email: string) =>
	db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));

describe('SMTP delivery', () => {
	it('sends a queued mail over SMTP with a plain-text part and List-Unsubscribe', async () => {
		const a = await athlete();
		await invite(a.id);
		const [queued] = await rowsTo(a.email);
		expect(queued).toMatchObject({ status: 'queued', reason: null });
		const before = sink.messages.length;

		const transport = smtpTransport(process.env.SMTP_URL!);
		expect(await deliverQueued(transport, process.env.MAIL_FROM!, now())).toEqual({
			sent: 1,
			failed: 0
		});
		transport.close();

		const [sent] = await rowsTo(a.email);
		expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
		const raw = sink.messages.slice(before).join('\n');
		expect(raw).toMatch(/^To: athlete-\d+@example\.com/m);
		expect(raw).toMatch(/^From: Stride Academy <noreply@example\.com>/m);
		expect(raw).toMatch(/^Content-Type: text\/plain/m);
		expect(raw).toContain('Coach Carter invited you to join the team Harriers.');
		expect(raw).toMatch(
			/^List-Unsubscribe:\s+<https:\/\/learn\.example\.org\/unsubscribe\/[A-Za-z0-9_-]{22}>/m
		);
		// RFC 8058: mail programs may unsubscribe with one POST (answered in the HTTP server).
		expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
	});

	it('records why a delivery failed, tries again later, and gives up after five attempts', async () => {
		const a = await athlete();
		await invite(a.id);
		const refusing: MailTransport = {
			send: () => Promise.reject(new Error('550 mailbox unavailable')),
			close: () => {}
		};
		let at = now();
		expect(await deliverQueued(refusing, 'x@example.com', at)).toEqual({ sent: 0, failed: 1 });
		let [row] = await rowsTo(a.email);
		expect(row).toMatchObject({ status: 'queued', reason: '550 mailbox unavailable', attempts: 1 });
		// Not due again until the back-off has passed.
		expect(await deliverQueued(refusing, 'x@example.com', at)).toEqual({ sent: 0, failed: 0 });
		for (let i = 0; i < 4; i++) {
			at = new Date(at.getTime() + 2 * 60 * 60 * 1000);
			await deliverQueued(refusing, 'x@example.com', at);
		}
		[row] = await rowsTo(a.email);
		expect(row).toMatchObject({ status: 'failed', attempts: 5 });
		expect(row!.reason).toBe('Gave up after 5 attempts: 550 mailbox unavailable');
	});
});

describe('two job workers on one database', () => {
	const workers: Jobs[] = [];
	afterAll(async () => {
		for (const w of workers) await w.stop();
	});

	it('send each mail once over SMTP', async () => {
		// Both workers deliver through their own SMTP connection to the same sink, slowly, so that
		// their deliveries overlap.
		const slowSmtp = (): MailTransport => {
			const smtp = smtpTransport(process.env.SMTP_URL!);
			return {
				send: async (mail) => {
					await new Promise((r) => setTimeout(r, 250));
					await smtp.send(mail);
				},
				close: () => smtp.close()
			};
		};
		for (let i = 0; i < 2; i++)
			workers.push(
				await startJobs(url, {
					mail: { transport: slowSmtp(), from: process.env.MAIL_FROM! },
					schedule: false,
					pollingIntervalSeconds: 0.5,
					log: () => {}
				})
			);
		const people = await Promise.all([athlete(), athlete(), athlete(), athlete()]);
		const before = sink.messages.length;
		for (const p of people) await invite(p.id);
		// Two wake-up jobs (distinct keys, so neither is dropped): each worker takes one, and both
		// look for queued mail at the same time.
		await Promise.all([
			workers[0]!.boss.send('mail-deliver', {}, { singletonKey: 'a' }),
			workers[1]!.boss.send('mail-deliver', {}, { singletonKey: 'b' })
		]);

		const statuses = async () =>
			(await Promise.all(people.map((p) => rowsTo(p.email)))).flat().map((r) => r.status);
		while ((await statuses()).some((s) => s !== 'sent'))
			await new Promise((r) => setTimeout(r, 200));

		const delivered = sink.messages.slice(before);
		for (const p of people)
			expect(
				delivered.filter((m) => m.includes(`To: ${p.email}`)),
				p.email
			).toHaveLength(1);
		const rows = (await Promise.all(people.map((p) => rowsTo(p.email)))).flat();
		expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1, 1]);
	});
});
