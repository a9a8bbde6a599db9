// Days in the learner's own time zone: the review streak and the 30-day activity strip. Days are
// "YYYY-MM-DD" strings and counted as calendar dates, so midnight and DST changes cannot skew them.

import { addDays } from '../time';

/**
 * Days in a row with a finished review, ending today, or yesterday while today's review is still
 * to do (the streak is not lost before the day is over).
 */
export function streak(finishedDays: Iterable<string>, today: string): number {
	const days = new Set(finishedDays);
	let day = days.has(today) ? today : addDays(today, -1);
	let count = 0;
	while (days.has(day)) {
		count++;
		day = addDays(day, -1);
	}
	return count;
}

export interface ActivityDay {
	day: string;
	answered: number;
	finished: boolean;
}

/** The last `length` days up to today, oldest first, with what was done on each. */
export function activityStrip(
	rows: readonly ActivityDay[],
	today: string,
	length = 30
): ActivityDay[] {
	const byDay = new Map(rows.map((r) => [r.day, r]));
	// One date stepped a day at a time (the dashboard draws this on every visit).
	const [y, m, d] = today.split('-').map(Number) as [number, number, number];
	const date = new Date(Date.UTC(y, m - 1, d - length + 1));
	return Array.from({ length }, () => {
		const day = date.toISOString().slice(0, 10);
		date.setUTCDate(date.getUTCDate() + 1);
		return byDay.get(day) ?? { day, answered: 0, finished: false };
	});
}

/** What the dashboard shows of a learner's review. */
export interface ReviewSummary {
	dueToday: number;
	streak: number;
	strip: ActivityDay[];
	today: string;
}
