import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QuestionFile } from '../../src/lib/content/schema';
import {
	arrangeQuestions,
	displayOrder,
	seededRandom,
	shuffle,
	shuffleKeepingPinned
} from '../../src/lib/quiz/arrange';

const base = { lesson: 'lesson', points: 1, prompt: 'Prompt', explanation: 'Why.' };

function single(id: string, optionIds = ['a', 'b', 'c', 'd'], pinned: string[] = []): QuestionFile {
	return {
		...base,
		id,
		type: 'single',
		options: optionIds.map((o, i) => ({
			id: o,
			text: o,
			correct: i === 0,
			pinned: pinned.includes(o)
		}))
	};
}
function ordering(id: string, itemIds: string[]): QuestionFile {
	return {
		...base,
		id,
		type: 'ordering',
		items: itemIds.map((i) => ({ id: i, text: i })),
		feedback: 'F'
	};
}
const matching: QuestionFile = {
	...base,
	id: 'match',
	type: 'matching',
	pairs: ['p', 'q', 'r', 's', 't'].map((id) => ({ id, left: id, right: id })),
	feedback: 'F'
};
const optionIds = (q: QuestionFile) =>
	q.type === 'single' || q.type === 'multiple' ? q.options.map((o) => o.id) : [];
const sorted = (xs: readonly string[]) => [...xs].sort();
const letters = 'abcdefghij'.split('');

/** A "random" source that replays fixed values, to pin down exact shuffles. */
const replay = (values: number[]) => {
	let i = 0;
	return () => values[i++ % values.length]!;
};

describe('seededRandom', () => {
	it('is deterministic per seed and differs between seeds', () => {
		const take = (seed: string) => Array.from({ length: 5 }, seededRandom(seed));
		expect(take('attempt-1')).toEqual(take('attempt-1'));
		expect(take('attempt-1')).not.toEqual(take('attempt-2'));
		expect(take('')).not.toEqual(take('a'));
	});
	it('stays in [0, 1) and spreads values across the range', () => {
		const next = seededRandom('spread');
		const buckets = Array.from({ length: 10 }, () => 0);
		for (let i = 0; i < 10_000; i++) {
			const x = next();
			expect(x >= 0 && x < 1).toBe(true);
			buckets[Math.floor(x * 10)]!++;
		}
		for (const count of buckets) expect(count).toBeGreaterThan(800);
	});
	it('is deterministic for any seed (property)', () => {
		fc.assert(
			fc.property(fc.string(), (seed) => {
				const a = seededRandom(seed);
				const b = seededRandom(seed);
				for (let i = 0; i < 20; i++) expect(a()).toBe(b());
			})
		);
	});
});

describe('shuffle', () => {
	it('returns a new array and leaves the input alone', () => {
		const input = Object.freeze([...letters]);
		const out = shuffle(input, seededRandom('x'));
		expect(out).not.toBe(input);
		expect(sorted(out)).toEqual(letters);
		expect(out).not.toEqual(letters);
	});
	it('is Fisher–Yates: random 0 on each step sends the first item to the end', () => {
		expect(shuffle(['a', 'b', 'c'], () => 0)).toEqual(['b', 'c', 'a']);
		expect(shuffle(['a', 'b', 'c'], () => 0.999)).toEqual(['a', 'b', 'c']);
	});
	it('copes with a random source that returns 1', () => {
		expect(sorted(shuffle(['a', 'b', 'c'], () => 1))).toEqual(['a', 'b', 'c']);
	});
	it('reaches every order of three items', () => {
		const next = seededRandom('orders');
		const seen = new Set<string>();
		for (let i = 0; i < 200; i++) seen.add(shuffle(['a', 'b', 'c'], next).join(''));
		expect(seen.size).toBe(6);
	});
});

describe('shuffleKeepingPinned', () => {
	it('keeps "None of these" last', () => {
		const items = ['a', 'b', 'c', 'none'].map((id) => ({ id, pinned: id === 'none' }));
		for (const seed of ['1', '2', '3', '4', '5']) {
			const out = shuffleKeepingPinned(items, seededRandom(seed));
			expect(out[3]!.id).toBe('none');
		}
	});
	it('keeps pinned indices and is a permutation (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.boolean(), { maxLength: 12 }), fc.string(), (pins, seed) => {
				const items = pins.map((pinned, i) => ({ id: `o${i}`, pinned }));
				const out = shuffleKeepingPinned(items, seededRandom(seed));
				expect(out).toHaveLength(items.length);
				expect(new Set(out)).toEqual(new Set(items));
				items.forEach((item, i) => {
					if (item.pinned) expect(out[i]).toBe(item);
				});
			})
		);
	});
	it('treats a missing pinned flag as not pinned', () => {
		const items: { id: string; pinned?: boolean }[] = letters.map((id) => ({ id }));
		const out = shuffleKeepingPinned(items, seededRandom('free'));
		expect(out.map((o) => o.id)).not.toEqual(letters);
	});
});

describe('arrangeQuestions', () => {
	const pool = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'].map((id) => single(id));
	const off = { draw: null, shuffleQuestions: false, shuffleOptions: false };

	it('keeps everything as written when nothing is asked', () => {
		const out = arrangeQuestions(pool, off, seededRandom('s'));
		expect(out).toEqual(pool);
		expect(out[0]).not.toBe(pool[0]);
	});
	it('draws N distinct questions and keeps them in file order', () => {
		for (const seed of ['a', 'b', 'c', 'd']) {
			const out = arrangeQuestions(pool, { ...off, draw: 3 }, seededRandom(seed));
			const ids = out.map((q) => q.id);
			expect(ids).toHaveLength(3);
			expect(new Set(ids).size).toBe(3);
			expect(ids).toEqual([...ids].sort());
		}
	});
	it('draws different questions for different seeds', () => {
		const draws = new Set(
			['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((seed) =>
				arrangeQuestions(pool, { ...off, draw: 2 }, seededRandom(seed))
					.map((q) => q.id)
					.join()
			)
		);
		expect(draws.size).toBeGreaterThan(1);
	});
	it('takes the whole pool when draw is at least its size', () => {
		const out = arrangeQuestions(pool, { ...off, draw: 10 }, seededRandom('s'));
		expect(out.map((q) => q.id)).toEqual(pool.map((q) => q.id));
	});
	it('shuffles question order when asked', () => {
		const out = arrangeQuestions(pool, { ...off, shuffleQuestions: true }, seededRandom('s'));
		const ids = out.map((q) => q.id);
		expect(sorted(ids)).toEqual(pool.map((q) => q.id));
		expect(ids).not.toEqual(pool.map((q) => q.id));
		for (const q of out) expect(optionIds(q)).toEqual(['a', 'b', 'c', 'd']);
	});
	it('shuffles options when asked, keeping pinned ones, without touching the input', () => {
		const q = single('q', letters, ['j']);
		const snapshot = structuredClone(q);
		const [out] = arrangeQuestions([q], { ...off, shuffleOptions: true }, seededRandom('s'));
		expect(optionIds(out!)).not.toEqual(letters);
		expect(sorted(optionIds(out!))).toEqual(letters);
		expect(optionIds(out!)[9]).toBe('j');
		expect(q).toEqual(snapshot);
	});
	it('leaves ordering items in key order even when shuffling options', () => {
		const q = ordering('o', letters);
		const [out] = arrangeQuestions([q], { ...off, shuffleOptions: true }, seededRandom('s'));
		expect(out).toEqual(q);
	});
	it('is deterministic for a seed', () => {
		const settings = { draw: 4, shuffleQuestions: true, shuffleOptions: true };
		const a = arrangeQuestions(pool, settings, seededRandom('attempt'));
		const b = arrangeQuestions(pool, settings, seededRandom('attempt'));
		expect(a).toEqual(b);
	});
	it('returns a subset of the pool, without repeats, of the drawn size (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 8 }),
				fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
				fc.boolean(),
				fc.string(),
				(n, draw, shuffleQuestions, seed) => {
					const qs = Array.from({ length: n }, (_, i) => single(`q${i}`));
					const out = arrangeQuestions(
						qs,
						{ draw, shuffleQuestions, shuffleOptions: true },
						seededRandom(seed)
					);
					expect(out).toHaveLength(Math.min(n, draw ?? n));
					expect(new Set(out.map((q) => q.id)).size).toBe(out.length);
					for (const q of out) expect(sorted(optionIds(q))).toEqual(['a', 'b', 'c', 'd']);
				}
			)
		);
	});
});

describe('displayOrder', () => {
	it('never shows an ordering question already solved (property)', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.constantFrom(...letters), { minLength: 2, maxLength: 10 }),
				fc.string(),
				(ids, seed) => {
					const order = displayOrder(ordering('o', ids), seededRandom(seed));
					expect(order).not.toEqual(ids);
					expect(sorted(order)).toEqual(sorted(ids));
				}
			)
		);
	});
	it('rotates when the shuffle lands on the key', () => {
		// A random source of 0.999 leaves every item in place.
		expect(displayOrder(ordering('o', ['a', 'b', 'c']), () => 0.999)).toEqual(['b', 'c', 'a']);
		expect(displayOrder(ordering('o', ['a', 'b']), () => 0.999)).toEqual(['b', 'a']);
	});
	it('keeps a one-item ordering as it is', () => {
		const q = { ...ordering('o', ['a', 'b']), items: [{ id: 'a', text: 'a' }] };
		expect(displayOrder(q, seededRandom('s'))).toEqual(['a']);
	});
	it('shuffles the right-hand choices of a matching question', () => {
		const order = displayOrder(matching, replay([0]));
		expect(order).toEqual(['q', 'r', 's', 't', 'p']);
		expect(sorted(displayOrder(matching, seededRandom('m')))).toEqual(['p', 'q', 'r', 's', 't']);
	});
	it('gives option ids in their current order, and nothing for other types', () => {
		expect(displayOrder(single('s', ['x', 'y', 'z']), seededRandom('s'))).toEqual(['x', 'y', 'z']);
		const tf: QuestionFile = { ...base, id: 't', type: 'truefalse', answer: true, feedback: 'F' };
		expect(displayOrder(tf, seededRandom('s'))).toEqual([]);
	});
	it('is deterministic for a seed', () => {
		const q = ordering('o', letters);
		expect(displayOrder(q, seededRandom('k'))).toEqual(displayOrder(q, seededRandom('k')));
	});
});
