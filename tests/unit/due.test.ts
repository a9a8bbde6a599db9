// How due dates read on the dashboard and in the coach's grid.
import { describe, expect, it } from 'vitest';
import { dueStatus, dueText, endOfDay, isCalendarDate } from '../../src/lib/progress/due';
import { localDay } from '../../src/lib/time';

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
		for (const bad of ['2027-02-30', '2027-13-01', '10/03/2027', '', 'abc'])
			expect(isCalendarDate(bad)).toBe(false);
	});
	it("reads it as the end of that day in the coach's zone when given one", () => {
		expect(endOfDay('2027-03-10', 'Asia/Tokyo').toISOString()).toBe('2027-03-10T14:59:59.999Z');
		expect(endOfDay('2027-03-10', 'Pacific/Kiritimati').toISOString()).toBe(
			'2027-03-10T09:59:59.999Z'
		);
		expect(endOfDay('2027-03-10', 'Pacific/Honolulu').toISOString()).toBe(
			'2027-03-11T09:59:59.999Z'
		);
		// New York's clocks go forward on 14 March 2027: that day ends at 00:00 EDT (UTC-4).
		expect(endOfDay('2027-03-14', 'America/New_York').toISOString()).toBe(
			'2027-03-15T03:59:59.999Z'
		);
		expect(endOfDay('2027-03-10', null).toISOString()).toBe('2027-03-10T23:59:59.999Z');
	});
	it('gives back the day picked, written in the same zone, in every zone', () => {
		const zones = [
			'UTC',
			'Asia/Tokyo',
			'Pacific/Kiritimati',
			'Pacific/Pago_Pago',
			'Europe/London',
			'America/Santiago',
			'Australia/Lord_Howe',
			'Asia/Kathmandu'
		];
		for (const zone of zones)
			for (const day of [
				'2027-01-01',
				'2027-03-14',
				'2027-03-28',
				'2027-04-04',
				'2027-10-31',
				'2027-12-31'
			]) {
				const end = endOfDay(day, zone);
				expect(localDay(end, zone), `${day} in ${zone}`).toBe(day);
				expect(localDay(new Date(end.getTime() + 1), zone), `${day} in ${zone}`).not.toBe(day);
			}
	});
});
