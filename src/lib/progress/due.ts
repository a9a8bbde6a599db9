// How a due date reads to a person: days left, due today, or overdue by N days. Pure, so the
// dashboard and the coach's grid agree, and tests can pass any "now".
import { addDays, startOfLocalDay } from '../time';

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

/**
 * A date field's "YYYY-MM-DD" (a real calendar day, see isCalendarDate) as the last moment of
 * that day in `zone`, the coach's: due means "by the end of", and the coach who picks 15 July
 * reads "due 15 July" back wherever they are. Learners see that moment in their own zone.
 */
export function endOfDay(date: string, zone: string | null | undefined = 'UTC'): Date {
	return new Date(startOfLocalDay(addDays(date, 1), zone).getTime() - 1);
}

/** Whether "YYYY-MM-DD" is a real calendar day (the Date parser rolls 02-30 over to March). */
export function isCalendarDate(date: string): boolean {
	const d = new Date(`${date}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}
