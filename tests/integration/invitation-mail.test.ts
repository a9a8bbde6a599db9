// Email invitations: an address without an account gets a mail with a sign-up link that carries
// the invitation (still bound to that address); names written by coaches reach mail as plain
// single lines that no client turns into links; each coach has an hourly allowance of them.
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/auth/accounts';
import { resetClock, advanceClock } from '../../src/lib/server/clock';
import { emailOutbox } from '../../src/lib/server/db/schema';
import { plainLine } from '../../src/lib/server/mail/plain-text';
import { createTeam } from '../../src/lib/server/teams/teams';
import {
	acceptInvitation,
	InvitationMailLimit,
	inviteByEmail
} from '../../src/lib/server/teams/invitations';
import { freshDatabase } from '../support/fresh-database';

let db: Awaited<ReturnType<typeof freshDatabase>>['db'];
let n = 0;

beforeAll(async () => {
	({ db } = await freshDatabase());
});
afterEach(() => {
	resetClock();
	delete process.env.INVITATION_MAIL_ALLOWANCE;
});

async function person(role: 'learner' | 'coach' = 'learner', name = 'Pat Runner') {
	const made = await createUser({
		name,
		email: `inv-${++n}@example.com`,
		password: 'plum-tractor-71',
		role
	});
	if (!made.ok) throw new Error(made.message);
	return made.value;
}
const mailsTo = (to: string) => db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));

describe('an email invitation to an address without an account', () => {
	it('mails a sign-up link that comes back to the invitation, which only that address can accept', async () => {
		const coach = await person('coach', 'Coach Kim');
		const team = (await createTeam(coach, { name: 'Harriers' }))!;
		const inv = (await inviteByEmail(coach, team.id, { email: 'New.Runner@Example.com' }))!;
		const [mail] = await mailsTo('new.runner@example.com');
		expect(mail?.subject).toBe('Coach Kim invited you to Harriers on Stride Academy');
		expect(mail?.userId).toBeNull();
		expect(mail?.textBody).toContain(
			`/signup?redirectTo=${encodeURIComponent(`/join/${inv.code}`)}`
		);
		// Someone else who signs up cannot use it; the invited address can.
		const other = await person();
		expect((await acceptInvitation(inv.code, other.id)).ok).toBe(false);
		const invited = await createUser({
			name: 'New Runner',
			email: 'new.runner@example.com',
			password: 'plum-tractor-71'
		});
		if (!invited.ok) throw new Error(invited.message);
		expect((await acceptInvitation(inv.code, invited.value.id)).ok).toBe(true);
	});
});

describe('coach-written text in invitation mail', () => {
	it('is one plain line, cut to length, with links and addresses made unfollowable', async () => {
		const coach = await person('coach', 'Coach\r\nBcc: victim@example.com');
		const team = (await createTeam(coach, {
			name: 'Harriers\n\nClaim your prize at https://evil.test/win now'
		}))!;
		await inviteByEmail(coach, team.id, { email: 'plain-text@example.com' });
		const [mail] = await mailsTo('plain-text@example.com');
		const body = mail!.textBody;
		expect(body).not.toContain('https://evil.test');
		expect(body).not.toContain('evil.test');
		expect(body).toContain('evil[.]test');
		expect(body).not.toMatch(/Harriers\n/);
		expect(body).not.toContain('victim@example.com');
		// The only links in the mail are the site's own.
		const links = body.match(/https?:\/\/[^\s)]+/g) ?? [];
		expect(links.every((l) => l.startsWith('http://localhost:'))).toBe(true);
		expect(plainLine('x'.repeat(200))).toHaveLength(80);
	});
});

describe('the hourly allowance of invitation mail per coach', () => {
	it('refuses the 41st within the hour with the wait, and lets another coach send', async () => {
		const coach = await person('coach');
		const team = (await createTeam(coach, { name: 'Big club' }))!;
		for (let i = 0; i < 40; i++)
			await inviteByEmail(coach, team.id, { email: `many-${i}@example.com` });
		const refused = await inviteByEmail(coach, team.id, { email: 'many-40@example.com' }).catch(
			(e: unknown) => e
		);
		expect(refused).toBeInstanceOf(InvitationMailLimit);
		expect((refused as InvitationMailLimit).retryAfter).toBeGreaterThan(3000);
		expect(await mailsTo('many-40@example.com')).toEqual([]);
		const other = await person('coach');
		const otherTeam = (await createTeam(other, { name: 'Small club' }))!;
		expect(
			await inviteByEmail(other, otherTeam.id, { email: 'many-40@example.com' })
		).toBeDefined();
		advanceClock(60 * 60_000 + 1000);
		expect(await inviteByEmail(coach, team.id, { email: 'many-41@example.com' })).toBeDefined();
	});
});
