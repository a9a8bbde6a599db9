// Everything the platform holds about one person, as one JSON document they can download
// (the right of access). Answer keys never leave the server: attempts carry the learner's own
// answers and grades, not the questions as drawn.
import { asc, eq, inArray } from 'drizzle-orm';
import { db } from '../db';
import {
	certificates,
	coachRequests,
	domainEvents,
	emailOutbox,
	notifications,
	enrolments,
	gradeChanges,
	lessonProgress,
	quizAttempts,
	reviewCards,
	reviewDays,
	reviewLogs,
	reviewSettings,
	teams,
	users
} from '../db/schema';
import { verifyUrl } from '../../routes';
import { membershipsOf } from '../teams/teams';
import { accommodationOf } from '../teams/accommodation';

export async function personalData(userId: string, origin: string) {
	const [user] = await db().select().from(users).where(eq(users.id, userId));
	if (!user || user.deletedAt) return undefined;
	const attempts = await db()
		.select()
		.from(quizAttempts)
		.where(eq(quizAttempts.userId, userId))
		.orderBy(asc(quizAttempts.startedAt));
	const changes = attempts.length
		? await db()
				.select()
				.from(gradeChanges)
				.where(
					inArray(
						gradeChanges.attemptId,
						attempts.map((a) => a.id)
					)
				)
		: [];
	const memberships = (await membershipsOf(userId)).map((m) => ({
		team: m.name,
		season: m.season,
		coach: m.coachName,
		joinedAt: m.joinedAt
	}));
	const owned = await db()
		.select({ name: teams.name, season: teams.season, createdAt: teams.createdAt })
		.from(teams)
		.where(eq(teams.coachId, userId));
	return {
		exportedAt: new Date().toISOString(),
		profile: {
			name: user.name,
			email: user.email,
			role: user.role,
			nameOnCertificates: user.certificateName,
			extraTimeMultiplier: user.timeMultiplier,
			// Extra time each team's coach gave, on the courses that team assigned.
			extraTimeByTeam: (await accommodationOf(userId)).teams,
			timeZone: user.timeZone,
			disabledAt: user.disabledAt,
			createdAt: user.createdAt
		},
		enrolments: await db()
			.select({
				courseId: enrolments.courseId,
				courseVersion: enrolments.courseVersion,
				enrolledAt: enrolments.enrolledAt,
				completedAt: enrolments.completedAt
			})
			.from(enrolments)
			.where(eq(enrolments.userId, userId)),
		lessonsDone: await db()
			.select({
				courseId: lessonProgress.courseId,
				lessonId: lessonProgress.lessonId,
				lessonVersion: lessonProgress.lessonVersion,
				completedAt: lessonProgress.completedAt
			})
			.from(lessonProgress)
			.where(eq(lessonProgress.userId, userId)),
		quizAttempts: attempts.map((a) => ({
			courseId: a.courseId,
			quizId: a.quizId,
			number: a.number,
			quizVersion: a.quizVersion,
			startedAt: a.startedAt,
			submittedAt: a.submittedAt,
			answers: a.answers,
			score: a.score,
			maxScore: a.maxScore,
			percent: a.percent,
			passed: a.passed,
			regrades: changes
				.filter((c) => c.attemptId === a.id)
				.map((c) => ({
					at: c.changedAt,
					reason: c.reason,
					oldScore: c.oldScore,
					newScore: c.newScore,
					newPassed: c.newPassed
				}))
		})),
		certificates: (
			await db().select().from(certificates).where(eq(certificates.userId, userId))
		).map((c) => ({
			courseTitle: c.courseTitle,
			courseVersion: c.courseVersion,
			holderName: c.holderName,
			completedAt: c.completedAt,
			scorePercent: c.scorePercent,
			issuedAt: c.issuedAt,
			revokedAt: c.revokedAt,
			verificationUrl: origin + verifyUrl(c.code)
		})),
		teamMemberships: memberships,
		teamsCoached: owned,
		// The record of what happened (lessons finished, quizzes graded, courses completed) that
		// certificates and notifications are made from.
		notifications: await db()
			.select({
				kind: notifications.kind,
				message: notifications.message,
				createdAt: notifications.createdAt,
				readAt: notifications.readAt
			})
			.from(notifications)
			.where(eq(notifications.userId, userId))
			.orderBy(asc(notifications.createdAt)),
		emails: await db()
			.select({
				kind: emailOutbox.kind,
				to: emailOutbox.toAddress,
				subject: emailOutbox.subject,
				status: emailOutbox.status,
				createdAt: emailOutbox.createdAt,
				sentAt: emailOutbox.sentAt
			})
			.from(emailOutbox)
			.where(eq(emailOutbox.userId, userId))
			.orderBy(asc(emailOutbox.createdAt)),
		coachRequests: await db()
			.select({
				note: coachRequests.note,
				status: coachRequests.status,
				reason: coachRequests.reason,
				createdAt: coachRequests.createdAt,
				decidedAt: coachRequests.decidedAt
			})
			.from(coachRequests)
			.where(eq(coachRequests.userId, userId))
			.orderBy(asc(coachRequests.createdAt)),
		events: await db()
			.select({
				type: domainEvents.type,
				courseId: domainEvents.courseId,
				occurredAt: domainEvents.occurredAt
			})
			.from(domainEvents)
			.where(eq(domainEvents.userId, userId))
			.orderBy(asc(domainEvents.occurredAt)),
		// Spaced review: each card by the question it stands for (not the question as stored,
		// whose key stays on the server), each answer's outcome, the days and the settings.
		review: {
			cards: await db()
				.select({
					courseId: reviewCards.courseId,
					item: reviewCards.itemKey,
					dueAt: reviewCards.dueAt,
					active: reviewCards.active,
					retiredAt: reviewCards.retiredAt,
					createdAt: reviewCards.createdAt
				})
				.from(reviewCards)
				.where(eq(reviewCards.userId, userId))
				.orderBy(asc(reviewCards.createdAt)),
			answers: await db()
				.select({
					courseId: reviewLogs.courseId,
					outcome: reviewLogs.outcome,
					rating: reviewLogs.rating,
					selfRated: reviewLogs.selfRated,
					reviewedAt: reviewLogs.reviewedAt
				})
				.from(reviewLogs)
				.where(eq(reviewLogs.userId, userId))
				.orderBy(asc(reviewLogs.reviewedAt)),
			days: await db()
				.select({
					day: reviewDays.day,
					answered: reviewDays.answered,
					finished: reviewDays.finished
				})
				.from(reviewDays)
				.where(eq(reviewDays.userId, userId))
				.orderBy(asc(reviewDays.day)),
			settings: await db()
				.select({
					courseId: reviewSettings.courseId,
					enabled: reviewSettings.enabled,
					dailyReminder: reviewSettings.dailyReminder
				})
				.from(reviewSettings)
				.where(eq(reviewSettings.userId, userId))
		}
	};
}

export type PersonalData = NonNullable<Awaited<ReturnType<typeof personalData>>>;
