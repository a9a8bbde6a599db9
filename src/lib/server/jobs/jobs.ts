// Starts pg-boss on the app's database with the scheduled jobs (reminder scan, weekly digest,
// mail delivery) and their workers; stopped again on shutdown. pg-boss keeps its jobs and
// schedules in PostgreSQL, so several app instances share them: each cron slot runs once, and
// each job is handed to one worker.
import PgBoss from 'pg-boss';
import { sql } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import { smtpSettings } from '../config';
import { deliverQueued, releaseStuckMails } from '../mail/outbox';
import { smtpTransport, type MailTransport } from '../mail/transport';
import { queueWeeklyDigests } from '../notifications/digest';
import { scanReminders } from '../notifications/reminders';
import { queueReviewReminders } from '../review/reminders';
import { kickMailer, QUEUES, useBoss } from './queue';

export interface JobsOptions {
	/** Where mails go; by default SMTP_URL, or nowhere when it is unset (mails are held). */
	mail?: { transport: MailTransport; from: string };
	/** Run the cron schedules (off in tests that only need workers). */
	schedule?: boolean;
	pollingIntervalSeconds?: number;
	log?: (message: string) => void;
}

export interface Jobs {
	boss: PgBoss;
	stop(): Promise<void>;
}

let running: Jobs | undefined;
// Beside the migrations' lock (727_001 in db/migrate.ts).
const JOBS_SETUP_LOCK = 727_002;

export async function startJobs(url: string, options: JobsOptions = {}): Promise<Jobs> {
	const log = options.log ?? ((m: string) => console.error(m));
	const smtp = smtpSettings();
	const mail =
		options.mail ?? (smtp ? { transport: smtpTransport(smtp.url), from: smtp.from } : undefined);
	const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3 });
	boss.on('error', (e) => log(`Job queue: ${e.message}`));
	// Instances starting together would deadlock creating the same queues (the several-instances
	// security test caught it), so setting up is done one instance at a time.
	await db().transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${JOBS_SETUP_LOCK})`);
		await boss.start();
		await boss.createQueue(QUEUES.deliver, { name: QUEUES.deliver, policy: 'short' });
		await boss.createQueue(QUEUES.scan, { name: QUEUES.scan, policy: 'short' });
		await boss.createQueue(QUEUES.digest, { name: QUEUES.digest, policy: 'short' });
		if (options.schedule !== false) {
			await boss.schedule(QUEUES.deliver, '* * * * *', {});
			await boss.schedule(QUEUES.scan, '*/10 * * * *', {});
			await boss.schedule(QUEUES.digest, '0 7 * * 1', {}, { tz: 'UTC' });
		}
	});
	const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };

	await boss.work(QUEUES.deliver, polling, async () => {
		if (!mail) return;
		// Batches until nothing due is left, so a burst (a digest to every coach) goes out at once.
		for (;;) {
			const { sent, failed } = await deliverQueued(mail.transport, mail.from, now());
			if (sent + failed === 0) break;
		}
	});
	await boss.work(QUEUES.scan, polling, async () => {
		await scanReminders(now());
		await queueReviewReminders(now());
		await releaseStuckMails(now());
		await kickMailer();
	});
	await boss.work(QUEUES.digest, polling, async () => {
		await queueWeeklyDigests(now());
		await kickMailer();
	});
	const jobs: Jobs = {
		boss,
		async stop() {
			// Lets a delivery in progress finish, so no mail is left half-sent in "sending".
			await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
			mail?.transport.close();
		}
	};
	useBoss(boss);
	running = jobs;
	return jobs;
}

/** Stops the app's job queue (if started); the database is closed after this. */
export async function stopJobs(): Promise<void> {
	const jobs = running;
	running = undefined;
	useBoss(undefined);
	await jobs?.stop();
}
