// Certificate records: a learner's own list, the public facts behind a verification code, the
// holder's name, and the admin's revoke / reinstate, each change written to the history.
import {
	and,
	desc,
	eq,
	getTableColumns,
	gte,
	ilike,
	isNotNull,
	isNull,
	lt,
	or,
	sql
} from 'drizzle-orm';
import { isUuid } from '../db/ids';
import { builtOnce, db } from '../db';
import { certificateHistory, certificates, users, type Certificate } from '../db/schema';
import { can } from '../auth/can';
import { isVerificationCode, normalizeVerificationCode } from './codes';
import { STATUS_LIST_LENGTH } from './credential';

export type { Certificate };

export async function certificatesOf(userId: string): Promise<Certificate[]> {
	return db()
		.select()
		.from(certificates)
		.where(eq(certificates.userId, userId))
		.orderBy(desc(certificates.completedAt));
}

/** A certificate the viewer may download; anyone else's (or a malformed id) is not found. */
export async function ownCertificate(
	viewer: { id: string; role: 'learner' | 'coach' | 'admin' },
	id: string
): Promise<Certificate | undefined> {
	if (!isUuid(id)) return undefined;
	const [row] = await db().select().from(certificates).where(eq(certificates.id, id));
	return row && can(viewer, 'view', { kind: 'learner-record', ownerId: row.userId })
		? row
		: undefined;
}

/** The record behind a verification code; malformed or unknown codes are simply not found. */
export async function certificateByCode(
	code: string
): Promise<(Certificate & { holderRemoved: boolean }) | undefined> {
	if (!isVerificationCode(code)) return undefined;
	const [row] = await certificateWithHolder().execute({ code });
	return row;
}

// One statement, built once (every verification runs it): the verification page also says
// whether the holder removed their account.
const certificateWithHolder = builtOnce((database) =>
	database
		.select({
			...getTableColumns(certificates),
			holderRemoved: sql<boolean>`coalesce(${users.deletedAt} is not null, true)`
		})
		.from(certificates)
		.leftJoin(users, eq(users.id, certificates.userId))
		.where(eq(certificates.code, sql.placeholder('code')))
		.prepare('certificate_with_holder')
);

/** The name the account has set for certificates, or null when it uses the display name. */
export async function certificateNameOf(userId: string): Promise<string | null> {
	const [row] = await db()
		.select({ name: users.certificateName })
		.from(users)
		.where(eq(users.id, userId));
	return row?.name ?? null;
}

/**
 * Sets the name printed on certificates (null: the display name) and re-issues every
 * certificate whose holder name changes, under its same code and address.
 */
export async function setCertificateName(userId: string, name: string | null) {
	await db().update(users).set({ certificateName: name }).where(eq(users.id, userId));
	await refreshCertificateNames(userId);
}

/** Re-issues certificates after the display name or the name on certificates changed. */
export async function refreshCertificateNames(userId: string) {
	await db().transaction(async (tx) => {
		const [user] = await tx
			.select({ name: sql<string>`coalesce(${users.certificateName}, ${users.name})` })
			.from(users)
			.where(eq(users.id, userId));
		if (!user) return;
		const changed = await tx
			.update(certificates)
			.set({ holderName: user.name, reissuedAt: new Date() })
			.where(and(eq(certificates.userId, userId), sql`${certificates.holderName} <> ${user.name}`))
			.returning({ id: certificates.id });
		for (const { id } of changed)
			await tx.insert(certificateHistory).values({
				certificateId: id,
				action: 'reissued',
				by: userId,
				reason: 'Name on certificates changed'
			});
	});
}

export interface AdminCertificate extends Certificate {
	email: string;
}

/** Certificates matching a learner's name or email, a course id or a code; newest first. */
export async function searchCertificates(query: string, limit = 100): Promise<AdminCertificate[]> {
	const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	const rows = await db()
		.select({ certificate: certificates, email: users.email })
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.where(
			query.trim()
				? or(
						ilike(certificates.holderName, like),
						ilike(users.email, like),
						ilike(certificates.courseId, like),
						eq(certificates.code, normalizeVerificationCode(query) ?? '')
					)
				: undefined
		)
		.orderBy(desc(certificates.issuedAt))
		.limit(limit);
	return rows.map((r) => ({ ...r.certificate, email: r.email }));
}

/** Certificates a regrade has left without their basis, still valid until an admin decides. */
export async function certificatesWithChangedBasis(): Promise<AdminCertificate[]> {
	const rows = await db()
		.select({ certificate: certificates, email: users.email })
		.from(certificates)
		.innerJoin(users, eq(users.id, certificates.userId))
		.where(and(isNotNull(certificates.basisChangedAt), isNull(certificates.revokedAt)))
		.orderBy(desc(certificates.basisChangedAt));
	return rows.map((r) => ({ ...r.certificate, email: r.email }));
}

export type StatusChange = { ok: true } | { ok: false; reason: 'not-found' | 'unchanged' };

export async function revokeCertificate(
	id: string,
	by: string,
	reason: string
): Promise<StatusChange> {
	return changeStatus(id, by, reason, 'revoked');
}

export async function reinstateCertificate(
	id: string,
	by: string,
	reason: string
): Promise<StatusChange> {
	return changeStatus(id, by, reason, 'reinstated');
}

async function changeStatus(
	id: string,
	by: string,
	reason: string,
	action: 'revoked' | 'reinstated'
): Promise<StatusChange> {
	return db().transaction(async (tx) => {
		const [row] = await tx.select().from(certificates).where(eq(certificates.id, id)).for('update');
		if (!row) return { ok: false, reason: 'not-found' } as const;
		if ((action === 'revoked') === (row.revokedAt !== null))
			return { ok: false, reason: 'unchanged' } as const;
		const at = new Date();
		await tx
			.update(certificates)
			.set(
				action === 'revoked'
					? { revokedAt: at, revokedReason: reason }
					: // Reinstating is the admin's decision on a changed basis too.
						{ revokedAt: null, revokedReason: null, basisChangedAt: null }
			)
			.where(eq(certificates.id, id));
		await tx.insert(certificateHistory).values({ certificateId: id, action, by, reason, at });
		return { ok: true } as const;
	});
}

/** Who changed a certificate, when and why, oldest first. */
export async function certificateHistoryOf(id: string) {
	return db()
		.select({
			action: certificateHistory.action,
			reason: certificateHistory.reason,
			at: certificateHistory.at,
			by: users.name
		})
		.from(certificateHistory)
		.leftJoin(users, eq(users.id, certificateHistory.by))
		.where(eq(certificateHistory.certificateId, id))
		.orderBy(certificateHistory.at);
}

/**
 * The revoked certificates' indexes in status list `list` (from 1), and the highest index issued
 * so far (null before the first certificate), which says whether the list exists yet.
 */
export async function revokedStatusIndexes(
	list: number
): Promise<{ indexes: number[]; highest: number | null }> {
	const first = (list - 1) * STATUS_LIST_LENGTH;
	const [{ highest }] = (await db()
		.select({ highest: sql<number | null>`max(${certificates.statusListIndex})` })
		.from(certificates)) as [{ highest: number | null }];
	if (highest === null || highest < first) return { indexes: [], highest: null };
	const rows = await db()
		.select({ index: certificates.statusListIndex })
		.from(certificates)
		.where(
			and(
				isNotNull(certificates.revokedAt),
				gte(certificates.statusListIndex, first),
				lt(certificates.statusListIndex, first + STATUS_LIST_LENGTH)
			)
		)
		.orderBy(certificates.statusListIndex);
	return { indexes: rows.map((r) => r.index), highest };
}
