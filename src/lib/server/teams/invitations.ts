// Invitation links: a random code with an expiry, a usage limit, and a revocation stamp.
// Joining happens only through acceptInvitation, after the athlete has read what they share.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { now } from '../clock';
import { db } from '../db';
import {
	teamAssignments,
	teamInvitations,
	teamMembers,
	teams,
	users,
	enrolments,
	type TeamInvitation
} from '../db/schema';
import { findCourse } from '../content/catalog';
import { isUuid } from '../db/ids';
import { teamForCoach, type Coach } from './teams';
import { notifyAssignments } from '../notifications/notifications';

const DAY = 24 * 60 * 60 * 1000;

export async function createInvitation(
	coach: Coach,
	teamId: string,
	input: { days: number; maxUses: number }
): Promise<TeamInvitation | undefined> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return undefined;
	const [invitation] = await db()
		.insert(teamInvitations)
		.values({
			teamId: team.id,
			code: randomBytes(16).toString('base64url'),
			expiresAt: new Date(now().getTime() + input.days * DAY),
			maxUses: input.maxUses
		})
		.returning();
	return invitation;
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
				isNull(teamInvitations.revokedAt)
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

export type InvitationView =
	| { ok: true; team: { id: string; name: string; season: string | null }; coachName: string }
	| { ok: false; message: string; alreadyMember?: boolean };

/** What the acceptance page shows: the team and its coach, or why the link cannot be used. */
export async function previewInvitation(code: string, userId: string): Promise<InvitationView> {
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return { ok: false, message: UNKNOWN };
	const [row] = await db()
		.select({ inv: teamInvitations, team: teams, coachName: users.name })
		.from(teamInvitations)
		.innerJoin(teams, eq(teams.id, teamInvitations.teamId))
		.innerJoin(users, eq(users.id, teams.coachId))
		.where(eq(teamInvitations.code, code));
	if (!row) return { ok: false, message: UNKNOWN };
	const [member] = await db()
		.select({ userId: teamMembers.userId })
		.from(teamMembers)
		.where(and(eq(teamMembers.teamId, row.team.id), eq(teamMembers.userId, userId)));
	if (member) return { ok: false, message: ALREADY, alreadyMember: true };
	const state = invitationState(row.inv);
	if (state !== 'open') return { ok: false, message: REFUSALS[state] };
	return {
		ok: true,
		team: { id: row.team.id, name: row.team.name, season: row.team.season },
		coachName: row.coachName
	};
}

/**
 * Joins the team, counts the use and enrols the athlete in the team's current assignments, all
 * in one transaction with the invitation row locked, so parallel accepts cannot exceed the limit.
 */
export async function acceptInvitation(
	code: string,
	userId: string
): Promise<{ ok: true; teamId: string } | { ok: false; message: string }> {
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return { ok: false, message: UNKNOWN };
	return db().transaction(async (tx) => {
		const [inv] = await tx
			.select()
			.from(teamInvitations)
			.where(eq(teamInvitations.code, code))
			.for('update');
		if (!inv) return { ok: false, message: UNKNOWN } as const;
		const [member] = await tx
			.select({ userId: teamMembers.userId })
			.from(teamMembers)
			.where(and(eq(teamMembers.teamId, inv.teamId), eq(teamMembers.userId, userId)));
		if (member) return { ok: false, message: ALREADY } as const;
		const state = invitationState(inv);
		if (state !== 'open') return { ok: false, message: REFUSALS[state] } as const;
		await tx
			.update(teamInvitations)
			.set({ uses: sql`${teamInvitations.uses} + 1` })
			.where(eq(teamInvitations.id, inv.id));
		await tx.insert(teamMembers).values({ teamId: inv.teamId, userId, joinedAt: now() });
		const assigned = await tx
			.select({ id: teamAssignments.id, courseId: teamAssignments.courseId })
			.from(teamAssignments)
			.where(and(eq(teamAssignments.teamId, inv.teamId), isNull(teamAssignments.withdrawnAt)));
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
		return { ok: true, teamId: inv.teamId } as const;
	});
}
