// Small display formatters shared by pages.
export function formatMinutes(minutes: number): string {
	if (minutes < 60) return `${minutes} min`;
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m ? `${h} h ${m} min` : `${h} h`;
}

/** A wait in words, rounded up: "1 second", "40 seconds", "12 minutes", "1 hour". */
export function formatWait(seconds: number): string {
	const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
	if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return plural(minutes, 'minute');
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m ? `${plural(h, 'hour')} ${plural(m, 'minute')}` : plural(h, 'hour');
}
