// CSV export: opens in spreadsheets with names intact, and never runs a learner's text.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/lib/csv';

describe('toCsv', () => {
	it('starts with a byte-order mark, quotes cells and ends rows with CRLF', () => {
		expect(
			toCsv([
				['Zoë', 'a "b", c'],
				['Łukasz', '']
			])
		).toBe('\uFEFF"Zoë","a ""b"", c"\r\n"Łukasz",""\r\n');
	});
	it('neutralises cells that a spreadsheet would read as a formula', () => {
		for (const bad of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\t=1'])
			expect(csvCell(bad).startsWith(`"'`)).toBe(true);
		expect(csvCell('Completed 2027-03-01')).toBe('"Completed 2027-03-01"');
	});
});
