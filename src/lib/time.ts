// Times as a learner reads them: in their own time zone (the account setting), to the second
// where a wait ends, and relative to now ("in 3 minutes"). Pure, so server and browser agree.

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Paris", "UTC"). */
export function isTimeZone(zone: string): boolean {
	if (!zone || zone.length > 64) return false;
	if (knownZones.has(zone)) return true;
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: zone });
		if (knownZones.size < 1000) knownZones.add(zone);
		return true;
	} catch {
		return false;
	}
}
/** Zones already found valid: every page checks the learner's again. */
const knownZones = new Set<string>();

/** The zone to show times in: the learner's setting, else UTC (said next to every time). */
export const zoneOrUtc = (zone: string | null | undefined) =>
	zone && isTimeZone(zone) ? zone : 'UTC';

// A formatter is costly to make (about 0.1 ms) and cheap to use: one per kind and zone, kept (a
// server renders the same few zones again and again). Making one throws for an unknown zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
export function formatter(
	key: string,
	options: Intl.DateTimeFormatOptions,
	locale = 'en-GB'
): Intl.DateTimeFormat {
	let f = formatters.get(key);
	if (!f) {
		if (formatters.size > 500) formatters.clear();
		f = new Intl.DateTimeFormat(locale, options);
		formatters.set(key, f);
	}
	return f;
}

/** "29 Nov 2026, 14:05" in `zone`; with seconds when a wait ends on a given second. */
export function formatDateTime(iso: string, zone: string, seconds = false): string {
	return formatter(`date-time ${zone} ${seconds}`, {
		dateStyle: 'medium',
		timeStyle: seconds ? 'medium' : 'short',
		timeZone: zone
	}).format(new Date(iso));
}

/** "29 Nov 2026" in `zone`: the one way a day is written on the site. */
export function formatDate(when: string | Date, zone: string): string {
	return formatter(`date ${zone}`, { dateStyle: 'medium', timeZone: zone }).format(new Date(when));
}

/** "14:05:30" in `zone`. */
export function formatClock(iso: string, zone: string, seconds = false): string {
	return formatter(`clock ${zone} ${seconds}`, {
		hour: '2-digit',
		minute: '2-digit',
		...(seconds ? { second: '2-digit' } : {}),
		timeZone: zone
	}).format(new Date(iso));
}

/** The zone's name as shown next to a time: "UTC", or "Paris" for Europe/Paris. */
export function zoneLabel(zone: string): string {
	return zone === 'UTC' ? 'UTC' : (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ');
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['day', 86_400],
	['hour', 3_600],
	['minute', 60],
	['second', 1]
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "in 3 minutes", "5 hours ago", "now": the largest whole unit, rounded up for the future. */
export function relativeTime(iso: string, nowMs: number): string {
	const diff = (new Date(iso).getTime() - nowMs) / 1000;
	const size = Math.abs(diff);
	if (size < 1) return relativeFormat.format(0, 'second');
	for (const [unit, seconds] of UNITS) {
		if (size >= seconds || unit === 'second') {
			// A wait is never announced shorter than it is: round the future up, the past down.
			const n = diff > 0 ? Math.ceil(diff / seconds) : -Math.floor(size / seconds);
			return relativeFormat.format(n, unit);
		}
	}
	return relativeFormat.format(0, 'second');
}

/**
 * When a wait ends, as the result page and the quiz page both say it: "at 13:53:11 London time,
 * in 45 seconds" (seconds under two minutes: "in 2 minutes" for 61 s would read longer).
 */
export function retryPhrase(until: string, zone: string, nowMs: number): string {
	const seconds = Math.ceil((new Date(until).getTime() - nowMs) / 1000);
	const howFar =
		seconds > 0 && seconds < 120
			? `in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`
			: relativeTime(until, nowMs);
	const zoneText = zone === 'UTC' ? 'UTC' : `${zoneLabel(zone)} time`;
	return `at ${formatClock(until, zone, true)} ${zoneText}, ${howFar}`;
}

/** A countdown as "4:05" (minutes:seconds) or "1:02:05", rounded up to the second. */
export function countdown(ms: number): string {
	const s = Math.max(0, Math.ceil(ms / 1000));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const pad = (n: number) => String(n).padStart(2, '0');
	return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A percentage for people: whole numbers, unless rounding would cross the pass mark. */
export function percentText(percent: number, passPercent?: number): string {
	const rounded = Math.round(percent);
	const crosses = passPercent !== undefined && percent >= passPercent !== rounded >= passPercent;
	return `${crosses ? Math.floor(percent * 10) / 10 : rounded}%`;
}

/** Points for people: "2 of 7", with at most one decimal for partial credit. */
export function pointsText(score: number, max: number): string {
	const r = (n: number) => String(Math.round(n * 10) / 10);
	return `${r(score)} of ${r(max)}`;
}

// Calendar days in a zone: "YYYY-MM-DD" strings counted as dates, so midnight and DST changes
// cannot skew them (the review streak, due dates).

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

/** The instant `day` ("YYYY-MM-DD") begins in `zone`: its midnight there. */
export function startOfLocalDay(day: string, zone: string | null | undefined): Date {
	const z = zone || 'UTC';
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const midnightAsUtc = Date.UTC(y, m - 1, d);
	// The offset at midnight itself, which differs from noon's on the night clocks change.
	const guess = midnightAsUtc - zoneOffset(new Date(midnightAsUtc), z);
	return new Date(midnightAsUtc - zoneOffset(new Date(guess), z));
}

/** The instant the learner's day after `at` begins: cards due before it are "due today". */
export function endOfLocalDay(at: Date, zone: string | null | undefined): Date {
	return startOfLocalDay(addDays(localDay(at, zone), 1), zone);
}
