// The job queue's handle for the rest of the app: pg-boss, on the app's own PostgreSQL (schema
// "pgboss"), once jobs.ts has started it. Kept apart from the workers so services can wake the
// mailer without importing them.
import type PgBoss from 'pg-boss';
import { smtpSettings } from '../config';

export const QUEUES = {
	/** Sends queued mails; woken after a mail is queued, and every minute in case a wake-up is lost. */
	deliver: 'mail-deliver',
	/** Due-soon and overdue notices. */
	scan: 'reminders-scan',
	/** The coaches' weekly digest. */
	digest: 'digest-weekly'
} as const;

let current: PgBoss | undefined;

export function useBoss(boss: PgBoss | undefined): void {
	current = boss;
}

/**
 * Asks a worker to send what is queued now rather than at the next minute. Best effort: while
 * one wake-up waits, more are dropped (the queue's "short" policy), and a lost one only delays.
 */
export async function kickMailer(): Promise<void> {
	// Without SMTP, mails are held, and there is nothing to wake a worker for.
	if (!smtpSettings()) return;
	try {
		await current?.send(QUEUES.deliver, {});
	} catch (e) {
		console.error('Could not wake the mailer:', e instanceof Error ? e.message : e);
	}
}
