// The SMTP connection, made from SMTP_URL once and reused by every delivery.
import nodemailer from 'nodemailer';

export interface OutgoingMail {
	from: string;
	to: string;
	subject: string;
	text: string;
	html?: string;
	unsubscribeUrl?: string;
}

export interface MailTransport {
	send(mail: OutgoingMail): Promise<void>;
	close(): void;
}

export function smtpTransport(url: string): MailTransport {
	const transporter = nodemailer.createTransport(url);
	return {
		async send(mail) {
			await transporter.sendMail({
				from: mail.from,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				html: mail.html,
				// Sets List-Unsubscribe, which mail programs show as their own "unsubscribe" button.
				list: mail.unsubscribeUrl ? { unsubscribe: mail.unsubscribeUrl } : undefined,
				// RFC 8058: the mail program may unsubscribe with one POST, no page to open.
				headers: mail.unsubscribeUrl
					? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
					: undefined
			});
		},
		close: () => transporter.close()
	};
}
