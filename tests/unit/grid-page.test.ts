// The coach's grid shows a big team a page at a time; the page number comes from the URL.
import { describe, expect, it } from 'vitest';
import { gridPage } from '../../src/lib/server/teams/grid';

const athletes = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('a page of the grid', () => {
	it('holds at most 50 athletes, the last page the remainder', () => {
		const team = athletes(120);
		expect(gridPage(team, null)).toMatchObject({ page: 1, pages: 3, from: 1 });
		expect(gridPage(team, null).rows).toEqual(athletes(50));
		const last = gridPage(team, '3');
		expect(last).toMatchObject({ page: 3, pages: 3, from: 101 });
		expect(last.rows).toEqual(athletes(120).slice(100));
	});

	it('shows the nearest real page for a number out of range or not a number', () => {
		const team = athletes(60);
		for (const [asked, page] of [
			['0', 1],
			['-4', 1],
			['9', 2],
			['two', 1],
			['', 1],
			['2.7', 2]
		] as const)
			expect(gridPage(team, asked).page, asked).toBe(page);
	});

	it('is one page for a small or empty team', () => {
		expect(gridPage(athletes(7), '5')).toMatchObject({ page: 1, pages: 1, rows: athletes(7) });
		expect(gridPage([], null)).toMatchObject({ page: 1, pages: 1, rows: [], from: 1 });
	});
});
