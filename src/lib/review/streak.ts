// Days in the learner's own time zone: the review streak and the 30-day activity strip. Days are
// "YYYY-MM-DD" strings and counted as calendar dates, so midnight and DST changes cannot skew them.

import { formatter } from '../time';

/** The calendar day of `at` in `zone` (an IANA name; UTC when missing or unknown). */
export function localDay(at: Date, zone: string | null | undefined): string {
	try {
		const timeZone = zone || 'UTC';
		return formatter(
			`iso-day ${timeZone}`,
			{ timeZone, year: 'numeric', month: '2-digit', day: '2-digit' },
			'en-CA'
		).format(at);
	} catch {
		return at.toISOString().slice(0, 10);
	}
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Milliseconds `zone` is ahead of UTC at `at`. */
function zoneOffset(at: Date, zone: string): number {
	try {
		const parts = formatter(
			`parts ${zone}`,
			{
				timeZone: zone,
				hourCycle: 'h23',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
				second: 'numeric'
			},
			'en-US'
		).formatToParts(at);
		const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
		const local = Date.UTC(
			n('year'),
			n('month') - 1,
			n('day'),
			n('hour'),
			n('minute'),
			n('second')
		);
		return local - Math.floor(at.getTime() / 1000) * 1000;
	} catch {
		return 0;
	}
}

/** The instant the learner's day after `at` begins: cards due before it are "due today". */
export function endOfLocalDay(at: Date, zone: string | null | undefined): Date {
	const z = zone || 'UTC';
	const [y, m, d] = addDays(localDay(at, z), 1).split('-').map(Number) as [number, number, number];
	const midnightAsUtc = Date.UTC(y, m - 1, d);
	// The offset at midnight itself, which differs from now's on the night clocks change.
	const guess = midnightAsUtc - zoneOffset(at, z);
	return new Date(midnightAsUtc - zoneOffset(new Date(guess), z));
}

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
