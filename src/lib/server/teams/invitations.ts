// Invitation links: a random code with an expiry, a usage limit, and a revocation stamp.
// Joining happens only through acceptInvitation, after the athlete has read what they share.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { now } from '../clock';
import { builtOnce, db } from '../db';
import {
	teamAssistants,
	teamAssignments,
	teamInvitations,
	teamMembers,
	teams,
	users,
	enrolments,
	type TeamInvitation
} from '../db/schema';
import { findCourse } from '../content/catalog';
import { normaliseEmail } from '../auth/accounts';
import { isUuid } from '../db/ids';
import { coachesOf, teamForCoach, teamForOwner, type Coach } from './teams';
import {
	mailInvitationToNewcomer,
	notifyAssignments,
	notifyInvitation
} from '../notifications/notifications';
import { plainLine } from '../mail/plain-text';
import { reserveInHour } from '../auth/signup-limit';
import { kickMailer } from '../jobs/queue';
import { joinUrl } from '$lib/routes';
import { maskEmail } from '../mail/preferences';

const DAY = 24 * 60 * 60 * 1000;
export type InvitationRole = 'athlete' | 'assistant';

/** Athletes may be invited by the coach or an assistant; assistants only by the team's coach. */
async function teamToInviteTo(coach: Coach, teamId: string, role: InvitationRole) {
	return role === 'assistant' ? teamForOwner(coach, teamId) : teamForCoach(coach, teamId);
}

export async function createInvitation(
	coach: Coach,
	teamId: string,
	input: { days: number; maxUses: number; role?: InvitationRole }
): Promise<TeamInvitation | undefined> {
	const role = input.role ?? 'athlete';
	const team = await teamToInviteTo(coach, teamId, role);
	if (!team) return undefined;
	const [invitation] = await db()
		.insert(teamInvitations)
		.values({
			teamId: team.id,
			code: randomBytes(16).toString('base64url'),
			expiresAt: new Date(now().getTime() + input.days * DAY),
			maxUses: input.maxUses,
			role
		})
		.returning();
	return invitation;
}

/** Invitation mails one coach may send in any hour (INVITATION_MAIL_ALLOWANCE). */
const invitationMailAllowance = () => Number(process.env.INVITATION_MAIL_ALLOWANCE) || 40;

/** Thrown by inviteByEmail when the coach's hourly allowance of invitation mail is spent. */
export class InvitationMailLimit extends Error {
	constructor(readonly retryAfter: number) {
		super('Too many invitation emails this hour.');
	}
}

/**
 * An invitation for one email address, usable once, only by the account with that address. It is
 * made whether or not an account uses the address, and the coach is told the same either way, so
 * the form cannot be used to find out who has an account. Either way a mail goes to the address:
 * an account also gets a notification; an address without one gets a sign-up link that carries
 * the invitation (and whoever signs up with the address sees it on their dashboard too). Each
 * coach may send INVITATION_MAIL_ALLOWANCE (40) in any hour; names in the mail are plain single
 * lines (plainLine). The one place email invitations are created (notifications hook in here).
 */
export async function inviteByEmail(
	coach: Coach,
	teamId: string,
	input: { email: string; role?: InvitationRole; days?: number }
): Promise<TeamInvitation | undefined> {
	const role = input.role ?? 'athlete';
	const team = await teamToInviteTo(coach, teamId, role);
	if (!team) return undefined;
	const allowed = await reserveInHour(`invite-mail:${coach.id}`, invitationMailAllowance());
	if (!allowed.ok) throw new InvitationMailLimit(allowed.retryAfter);
	const email = normaliseEmail(input.email);
	const invitation = await db().transaction(async (tx) => {
		const [row] = await tx
			.insert(teamInvitations)
			.values({
				teamId: team.id,
				code: randomBytes(16).toString('base64url'),
				email,
				expiresAt: new Date(now().getTime() + (input.days ?? 30) * DAY),
				maxUses: 1,
				role
			})
			.returning();
		if (!row) return row;
		const [invitee] = await tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.email, email), isNull(users.deletedAt)));
		const [inviter] = await tx
			.select({ name: users.name })
			.from(users)
			.where(eq(users.id, coach.id));
		const letter = {
			teamName: plainLine(team.name),
			coachName: plainLine(inviter?.name ?? 'A coach'),
			href: joinUrl(row.code)
		};
		if (invitee) await notifyInvitation({ userId: invitee.id, ...letter }, tx);
		else await mailInvitationToNewcomer({ to: email, ...letter }, tx);
		return row;
	});
	await kickMailer();
	return invitation;
}

// Every dashboard view runs this query: it is built once.
const invitationsToEmail = builtOnce((database) =>
	database
		.select({ inv: teamInvitations, teamName: teams.name, coachName: users.name })
		.from(teamInvitations)
		.innerJoin(teams, eq(teams.id, teamInvitations.teamId))
		.innerJoin(users, eq(users.id, teams.coachId))
		.where(
			and(
				eq(teamInvitations.email, sql.placeholder('email')),
				sql`not exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${teams.id}
					and ${teamMembers.userId} = ${sql.placeholder('userId')} and ${teamInvitations.role} = 'athlete')`
			)
		)
		.orderBy(desc(teamInvitations.createdAt))
		.prepare('invitations_to_email')
);

/** Open invitations addressed to this account's email, for its dashboard. */
export async function invitationsForUser(user: { id: string; email: string }) {
	const rows = await invitationsToEmail().execute({
		email: normaliseEmail(user.email),
		userId: user.id
	});
	return rows
		.filter((r) => invitationState(r.inv) === 'open')
		.map((r) => ({
			code: r.inv.code,
			role: r.inv.role,
			teamName: r.teamName,
			coachName: r.coachName,
			expiresAt: r.inv.expiresAt
		}));
}

export async function invitationsOf(teamId: string) {
	return db()
		.select()
		.from(teamInvitations)
		.where(eq(teamInvitations.teamId, teamId))
		.orderBy(desc(teamInvitations.createdAt));
}

export async function revokeInvitation(
	coach: Coach,
	teamId: string,
	invitationId: string
): Promise<boolean> {
	const team = await teamForCoach(coach, teamId);
	if (!team || !isUuid(invitationId)) return false;
	const revoked = await db()
		.update(teamInvitations)
		.set({ revokedAt: now() })
		.where(
			and(
				eq(teamInvitations.id, invitationId),
				eq(teamInvitations.teamId, team.id),
				isNull(teamInvitations.revokedAt),
				// Assistants manage athletes' invitations, never those that make assistants.
				team.isOwner ? undefined : eq(teamInvitations.role, 'athlete')
			)
		)
		.returning();
	return revoked.length > 0;
}

export type InvitationState = 'open' | 'revoked' | 'expired' | 'used-up';

export function invitationState(inv: TeamInvitation, at: Date = now()): InvitationState {
	if (inv.revokedAt) return 'revoked';
	if (inv.expiresAt.getTime() <= at.getTime()) return 'expired';
	if (inv.uses >= inv.maxUses) return 'used-up';
	return 'open';
}

const REFUSALS: Record<Exclude<InvitationState, 'open'>, string> = {
	revoked: 'This invitation was withdrawn by the coach. Ask them for a new link.',
	expired: 'This invitation has expired. Ask the coach for a new link.',
	'used-up':
		'This invitation has been used as many times as the coach allowed. Ask them for a new link.'
};
const UNKNOWN = 'This invitation link is not valid. Check that you copied all of it.';
const ALREADY = 'You are already in this team.';
const ALREADY_ASSISTANT = 'You already help coach this team.';
const OWN_TEAM = 'This is your own team: you coach it already.';
const NOT_A_COACH =
	'This invitation is for an assistant coach, and only coaches can accept it. Ask to become a coach from your account page first.';
const wrongAccount = (email: string) =>
	`This invitation was sent to a different account. You are logged in as ${email}: log out and log in with the account that was invited.`;

type Invitee = { id: string; email: string; role: string };
type Refusal = { ok: false; message: string; alreadyMember?: boolean };

/** Why this person may not accept this invitation, or null when they may. */
async function refusalFor(
	q: Pick<ReturnType<typeof db>, 'select'>,
	inv: TeamInvitation,
	coachId: string,
	user: Invitee
): Promise<Refusal | null> {
	// The wrong account is told first, so it learns nothing about the team's roster or state.
	if (inv.email && inv.email !== normaliseEmail(user.email))
		return { ok: false, message: wrongAccount(user.email) };
	if (inv.role === 'assistant') {
		if (coachId === user.id) return { ok: false, message: OWN_TEAM };
		if (user.role !== 'coach' && user.role !== 'admin') return { ok: false, message: NOT_A_COACH };
		const [row] = await q
			.select({ userId: teamAssistants.userId })
			.from(teamAssistants)
			.where(and(eq(teamAssistants.teamId, inv.teamId), eq(teamAssistants.userId, user.id)));
		if (row) return { ok: false, message: ALREADY_ASSISTANT, alreadyMember: true };
	} else {
		const [member] = await q
			.select({ userId: teamMembers.userId })
			.from(teamMembers)
			.where(and(eq(teamMembers.teamId, inv.teamId), eq(teamMembers.userId, user.id)));
		if (member) return { ok: false, message: ALREADY, alreadyMember: true };
	}
	const state = invitationState(inv);
	return state === 'open' ? null : { ok: false, message: REFUSALS[state] };
}

export type InvitationView =
	| {
			ok: true;
			role: InvitationRole;
			team: { id: string; name: string; season: string | null };
			coachName: string;
			/** Everyone who would see the athlete's data: the coach first, then assistants. */
			coaches: { name: string; owner: boolean }[];
			/** For an email invitation, the invited address, half hidden ("ru…@example.com"). */
			invitedEmail: string | null;
	  }
	| Refusal;

/**
 * What the acceptance page shows: the team and its coach, or why the link cannot be used. A
 * visitor who is not logged in (`userId` null) sees the same, so they know what they are signing
 * up or logging in for; whether they may accept is decided once they have an account.
 */
export async function previewInvitation(
	code: string,
	userId: string | null
): Promise<InvitationView> {
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return { ok: false, message: UNKNOWN };
	const [row] = await db()
		.select({ inv: teamInvitations, team: teams, coachName: users.name })
		.from(teamInvitations)
		.innerJoin(teams, eq(teams.id, teamInvitations.teamId))
		.innerJoin(users, eq(users.id, teams.coachId))
		.where(eq(teamInvitations.code, code));
	if (!row) return { ok: false, message: UNKNOWN };
	if (userId === null) {
		const state = invitationState(row.inv);
		if (state !== 'open') return { ok: false, message: REFUSALS[state] };
	} else {
		const user = await invitee(db(), userId);
		if (!user) return { ok: false, message: UNKNOWN };
		const refusal = await refusalFor(db(), row.inv, row.team.coachId, user);
		if (refusal) return refusal;
	}
	return {
		ok: true,
		role: row.inv.role,
		team: { id: row.team.id, name: row.team.name, season: row.team.season },
		coachName: row.coachName,
		coaches: (await coachesOf(row.team.id)).map((c) => ({ name: c.name, owner: c.owner })),
		invitedEmail: row.inv.email ? maskEmail(row.inv.email) : null
	};
}

async function invitee(q: Pick<ReturnType<typeof db>, 'select'>, userId: string) {
	if (!isUuid(userId)) return undefined;
	const [user] = await q
		.select({ id: users.id, email: users.email, role: users.role })
		.from(users)
		.where(eq(users.id, userId));
	return user;
}

/**
 * Joins the team, counts the use and enrols the athlete in the team's current assignments, all
 * in one transaction with the invitation row locked, so parallel accepts cannot exceed the limit.
 */
export async function acceptInvitation(
	code: string,
	userId: string
): Promise<{ ok: true; teamId: string; role: InvitationRole } | { ok: false; message: string }> {
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return { ok: false, message: UNKNOWN };
	return db().transaction(async (tx) => {
		const [inv] = await tx
			.select()
			.from(teamInvitations)
			.where(eq(teamInvitations.code, code))
			.for('update');
		if (!inv) return { ok: false, message: UNKNOWN } as const;
		const [team] = await tx
			.select({ coachId: teams.coachId })
			.from(teams)
			.where(eq(teams.id, inv.teamId));
		const user = await invitee(tx, userId);
		if (!team || !user) return { ok: false, message: UNKNOWN } as const;
		const refusal = await refusalFor(tx, inv, team.coachId, user);
		if (refusal) return { ok: false, message: refusal.message } as const;
		await tx
			.update(teamInvitations)
			.set({ uses: sql`${teamInvitations.uses} + 1` })
			.where(eq(teamInvitations.id, inv.id));
		if (inv.role === 'assistant') {
			await tx.insert(teamAssistants).values({ teamId: inv.teamId, userId, joinedAt: now() });
			return { ok: true, teamId: inv.teamId, role: 'assistant' } as const;
		}
		await tx.insert(teamMembers).values({ teamId: inv.teamId, userId, joinedAt: now() });
		// Only whole-team assignments reach a later joiner; chosen-athlete ones named others.
		const assigned = await tx
			.select({ id: teamAssignments.id, courseId: teamAssignments.courseId })
			.from(teamAssignments)
			.where(
				and(
					eq(teamAssignments.teamId, inv.teamId),
					isNull(teamAssignments.withdrawnAt),
					eq(teamAssignments.wholeTeam, true)
				)
			);
		const rows = assigned.flatMap(({ courseId }) => {
			const course = findCourse(courseId);
			return course ? [{ userId, courseId, courseVersion: course.version }] : [];
		});
		if (rows.length) await tx.insert(enrolments).values(rows).onConflictDoNothing();
		await notifyAssignments(
			tx,
			assigned.map((a) => a.id),
			userId
		);
		return { ok: true, teamId: inv.teamId, role: 'athlete' } as const;
	});
}
