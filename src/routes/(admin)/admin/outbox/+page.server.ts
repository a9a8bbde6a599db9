import { requireRole } from '$lib/server/http/guards';
import { recentMails } from '$lib/server/mail/outbox';
import { smtpSettings } from '$lib/server/config';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	requireRole('admin');
	const mails = await recentMails(200);
	return {
		smtp: Boolean(smtpSettings()),
		mails: mails.map((m) => ({
			id: m.id,
			to: m.toAddress,
			subject: m.subject,
			kind: m.kind,
			status: m.status,
			reason: m.reason,
			attempts: m.attempts,
			createdAt: m.createdAt,
			sentAt: m.sentAt,
			text: m.textBody
		}))
	};
}) satisfies PageServerLoad;
