// How due dates read on the dashboard and in the coach's grid.
import { describe, expect, it } from 'vitest';
import { dueStatus, dueText, endOfDay, isCalendarDate } from '../../src/lib/progress/due';

const due = endOfDay('2027-03-10');
const at = (iso: string) => new Date(iso);

describe('dueStatus', () => {
	it('counts whole days left, says "due today" on the day, then overdue by N days', () => {
		expect(dueText(dueStatus(due, at('2027-03-07T12:00:00Z')))).toBe('3 days left');
		expect(dueText(dueStatus(due, at('2027-03-09T00:00:00Z')))).toBe('1 day left');
		expect(dueText(dueStatus(due, at('2027-03-10T08:00:00Z')))).toBe('Due today');
		expect(dueText(dueStatus(due, at('2027-03-11T00:30:00Z')))).toBe('Overdue by 1 day');
		expect(dueText(dueStatus(due, at('2027-03-15T01:00:00Z')))).toBe('Overdue by 4 days');
		expect(dueText(dueStatus(null, at('2027-03-15T01:00:00Z')))).toBe('No due date');
	});
	it('reads a date field as the end of that day in UTC', () => {
		expect(endOfDay('2027-03-10').toISOString()).toBe('2027-03-10T23:59:59.999Z');
		expect(isCalendarDate('2027-03-10')).toBe(true);
		for (const bad of ['2027-02-30', '2027-13-01', '10/03/2027', ''])
			expect(isCalendarDate(bad)).toBe(false);
	});
});
