// How a due date reads to a person: days left, due today, or overdue by N days. Pure, so the
// dashboard and the coach's grid agree, and tests can pass any "now".
const DAY = 24 * 60 * 60 * 1000;

export type Due =
	| { kind: 'none' }
	| { kind: 'left'; days: number }
	| { kind: 'today' }
	| { kind: 'overdue'; days: number };

export function dueStatus(dueAt: Date | null, now: Date): Due {
	if (!dueAt) return { kind: 'none' };
	const ms = dueAt.getTime() - now.getTime();
	if (ms < 0) return { kind: 'overdue', days: Math.max(1, Math.floor(-ms / DAY)) };
	const days = Math.floor(ms / DAY);
	return days === 0 ? { kind: 'today' } : { kind: 'left', days };
}

const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

export function dueText(due: Due): string {
	switch (due.kind) {
		case 'none':
			return 'No due date';
		case 'today':
			return 'Due today';
		case 'left':
			return `${plural(due.days)} left`;
		case 'overdue':
			return `Overdue by ${plural(due.days)}`;
	}
}

/** A date field's "YYYY-MM-DD" as the end of that day in UTC: due means "by the end of". */
export function endOfDay(date: string): Date {
	return new Date(`${date}T23:59:59.999Z`);
}

/** Whether "YYYY-MM-DD" is a real calendar day (the Date parser rolls 02-30 over to March). */
export function isCalendarDate(date: string): boolean {
	const d = endOfDay(date);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}
