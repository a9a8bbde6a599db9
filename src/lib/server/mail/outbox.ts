// Every email goes through the outbox: written in the transaction that caused it, then sent by
// a job worker when SMTP is configured, or held there for admins to read when it is not.
// Claiming rows with SKIP LOCKED means several workers never send the same mail twice.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { now } from '../clock';
import { smtpSettings } from '../config';
import { db, type Executor } from '../db';
import { emailOutbox, type OutboxEmail } from '../db/schema';
import { preferencesFor, unsubscribeLink } from './preferences';
import { publicAddress } from '../site/address';
import type { MailTransport } from './transport';

export const HELD_REASON = 'No SMTP server is configured (set SMTP_URL and MAIL_FROM).';
const MAX_ATTEMPTS = 5;
const MINUTE = 60_000;
/** Waits before attempts 2, 3, 4 and 5. */
const BACKOFF = [1, 5, 15, 60].map((m) => m * MINUTE);

export interface Mail {
	/** The person written to; null for an address without an account (an email invitation). */
	userId: string | null;
	to: string;
	kind: string;
	subject: string;
	text: string;
	dedupeKey?: string;
	/**
	 * A mail the person asked for or must see (a password reset link, a notice that the password
	 * changed): sent even when they turned email reminders off, and without an unsubscribe link.
	 */
	essential?: boolean;
}

/**
 * Queues mails to people, skipping those who turned email off, with their unsubscribe link
 * added. Returns how many were written (a dedupe key already used writes nothing).
 */
export async function queueMails(ex: Executor, mails: Mail[], at: Date = now()): Promise<number> {
	if (!mails.length) return 0;
	const prefs = await preferencesFor(
		ex,
		mails.flatMap((m) => (m.userId && !m.essential ? [m.userId] : []))
	);
	const smtp = smtpSettings();
	const site = await publicAddress(ex);
	const rows = mails.flatMap((m) => {
		const pref = m.userId && !m.essential ? prefs.get(m.userId) : undefined;
		// Reminders respect the person's setting; essential mail and mail to an address without an
		// account have no setting to respect (and no unsubscribe link to offer).
		if (m.userId && !m.essential && !pref?.emailOn) return [];
		const link = pref ? unsubscribeLink(pref.token, site) : null;
		const footer = link
			? `\n\n--\nTo stop these emails, open ${link}\n(You will still see reminders when you log in.)\n`
			: '\n';
		return [
			{
				userId: m.userId,
				kind: m.kind,
				dedupeKey: m.dedupeKey ?? null,
				toAddress: m.to,
				// Names in subjects come from people; a line break must never start a new header.
				subject: m.subject.replace(/\s+/g, ' ').trim(),
				textBody: `${m.text.trimEnd()}${footer}`,
				unsubscribeUrl: link,
				status: smtp ? ('queued' as const) : ('held' as const),
				reason: smtp ? null : HELD_REASON,
				nextAttemptAt: at,
				createdAt: at,
				updatedAt: at
			}
		];
	});
	if (!rows.length) return 0;
	const written = await ex
		.insert(emailOutbox)
		.values(rows)
		.onConflictDoNothing()
		.returning({ id: emailOutbox.id });
	return written.length;
}

/** The newest mails first, for /admin/outbox. */
export async function recentMails(limit = 100): Promise<OutboxEmail[]> {
	return db().select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}

/**
 * Sends the queued mails that are due, a batch at a time. Each row is claimed (queued → sending)
 * under SKIP LOCKED before it is sent, so a second worker passes over it.
 */
export async function deliverQueued(
	transport: MailTransport,
	from: string,
	at: Date = now(),
	limit = 20
): Promise<{ sent: number; failed: number }> {
	const claimed = await db().execute<{ id: string }>(sql`
		update ${emailOutbox} set status = 'sending', attempts = attempts + 1, updated_at = ${at.toISOString()}::timestamptz
		 where id in (select id from ${emailOutbox}
		               where status = 'queued' and next_attempt_at <= ${at.toISOString()}::timestamptz
		               order by next_attempt_at limit ${limit} for update skip locked)
		returning id`);
	let sent = 0;
	let failed = 0;
	for (const { id } of claimed) {
		const [mail] = await db().select().from(emailOutbox).where(eq(emailOutbox.id, id));
		if (!mail) continue;
		try {
			await transport.send({
				from,
				to: mail.toAddress,
				subject: mail.subject,
				text: mail.textBody,
				html: mail.htmlBody ?? undefined,
				unsubscribeUrl: mail.unsubscribeUrl ?? undefined
			});
			await db()
				.update(emailOutbox)
				.set({ status: 'sent', sentAt: now(), updatedAt: now(), reason: null })
				.where(eq(emailOutbox.id, id));
			sent++;
		} catch (e) {
			failed++;
			const reason = e instanceof Error ? e.message.slice(0, 500) : String(e);
			const last = mail.attempts >= MAX_ATTEMPTS;
			await db()
				.update(emailOutbox)
				.set({
					status: last ? 'failed' : 'queued',
					reason: last ? `Gave up after ${mail.attempts} attempts: ${reason}` : reason,
					nextAttemptAt: new Date(at.getTime() + (BACKOFF[mail.attempts - 1] ?? 0)),
					updatedAt: now()
				})
				.where(eq(emailOutbox.id, id));
		}
	}
	return { sent, failed };
}

/**
 * A mail left "sending" by an app that stopped mid-delivery may or may not have gone out; it is
 * marked failed with that said, rather than sent a second time.
 */
export async function releaseStuckMails(at: Date = now()): Promise<number> {
	const stuck = await db()
		.update(emailOutbox)
		.set({
			status: 'failed',
			reason: 'The app stopped while sending this mail; it may or may not have been delivered.',
			updatedAt: at
		})
		.where(
			and(
				eq(emailOutbox.status, 'sending'),
				lt(emailOutbox.updatedAt, new Date(at.getTime() - 30 * MINUTE))
			)
		)
		.returning({ id: emailOutbox.id });
	return stuck.length;
}
