// How an answer schedules a review card: correctness gives the rating, the learner may adjust it
// within what the answer allows, and FSRS (ts-fsrs) works out the next date. Pure.
import { createEmptyCard, fsrs, Rating, TypeConvert, type Card, type Grade } from 'ts-fsrs';

export type Outcome = 'right' | 'partly' | 'wrong';

/** ts-fsrs's card as stored in JSON (dates as ISO strings). */
export type StoredSchedule = Omit<Card, 'due' | 'last_review'> & {
	due: string;
	last_review?: string;
};

// Daily review, not a cramming session: no same-day learning steps, so a wrong answer comes back
// the next day and a right one days later. No fuzz: dates are predictable and testable.
const scheduler = fsrs({ enable_fuzz: false, enable_short_term: false });

export const RATING_NAMES: Record<Grade, string> = {
	[Rating.Again]: 'Again',
	[Rating.Hard]: 'Hard',
	[Rating.Good]: 'Good',
	[Rating.Easy]: 'Easy'
};

export function outcomeOf(result: { score: number; correct: boolean }): Outcome {
	return result.correct ? 'right' : result.score > 0 ? 'partly' : 'wrong';
}

/** The ratings a learner may give themselves after an answer: never above what they showed. */
export function selfRatings(outcome: Outcome): Grade[] {
	if (outcome === 'right') return [Rating.Hard, Rating.Good, Rating.Easy];
	if (outcome === 'partly') return [Rating.Again, Rating.Hard];
	return [Rating.Again];
}

/** The rating an answer gives: Again when wrong, Hard when partly right, Good when right. */
export function ratingFor(outcome: Outcome, self?: number): Grade {
	const allowed = selfRatings(outcome);
	if (self !== undefined && (allowed as number[]).includes(self)) return self;
	return outcome === 'right' ? Rating.Good : outcome === 'partly' ? Rating.Hard : Rating.Again;
}

const toStored = (card: Card): StoredSchedule => ({
	...card,
	due: card.due.toISOString(),
	last_review: card.last_review?.toISOString()
});
const fromStored = (s: StoredSchedule): Card => TypeConvert.card(s);

export const emptySchedule = (at: Date): StoredSchedule => toStored(createEmptyCard(at));

/** The schedule after an answer rated `rating` at `at` (from a new card when there is none). */
export function nextSchedule(
	before: StoredSchedule | null,
	rating: Grade,
	at: Date
): { schedule: StoredSchedule; dueAt: Date } {
	const card = before ? fromStored(before) : createEmptyCard(at);
	const next = scheduler.next(card, at, rating).card;
	return { schedule: toStored(next), dueAt: next.due };
}
