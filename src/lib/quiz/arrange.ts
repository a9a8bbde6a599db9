// Freezing an attempt's questions: which are drawn, in what order, with options in what order.
// Seeded, so the same attempt id always rebuilds the same arrangement on server and client.
import type { QuestionFile } from '../content/schema';
import type { QuizSettings } from './types';

/** A deterministic PRNG in [0, 1): FNV-1a hashes the seed into a mulberry32 state. */
export function seededRandom(seed: string): () => number {
	let state = 0x811c9dc5;
	for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193);
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fisher–Yates into a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		// min() guards a random() that returns 1, which would index past the end.
		const j = Math.min(i, Math.floor(random() * (i + 1)));
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}

/** Shuffles the unpinned items among their own slots; pinned ones (e.g. "None of these") stay put. */
export function shuffleKeepingPinned<T extends { pinned?: boolean }>(
	items: readonly T[],
	random: () => number
): T[] {
	const freeSlots = items.flatMap((item, i) => (item.pinned ? [] : [i]));
	const shuffled = shuffle(
		freeSlots.map((i) => items[i] as T),
		random
	);
	const out = [...items];
	freeSlots.forEach((slot, k) => (out[slot] = shuffled[k] as T));
	return out;
}

function shuffleOptions<Q extends QuestionFile>(q: Q, random: () => number): Q {
	if (q.type !== 'single' && q.type !== 'multiple') return { ...q };
	return { ...q, options: shuffleKeepingPinned(q.options, random) };
}

/**
 * The questions of one attempt: drawn, ordered, options shuffled as the settings ask.
 * Ordering items stay in key order (they are the key); see displayOrder for presentation.
 */
export function arrangeQuestions<Q extends QuestionFile>(
	questions: readonly Q[],
	settings: Pick<QuizSettings, 'draw' | 'shuffleQuestions' | 'shuffleOptions'>,
	random: () => number
): Q[] {
	let chosen = [...questions];
	if (settings.draw && settings.draw < questions.length) {
		const drawn = new Set(shuffle([...questions.keys()], random).slice(0, settings.draw));
		// Without shuffleQuestions the author's order is kept, which often tells a story.
		chosen = questions.filter((_, i) => drawn.has(i));
	}
	if (settings.shuffleQuestions) chosen = shuffle(chosen, random);
	return chosen.map((q) => (settings.shuffleOptions ? shuffleOptions(q, random) : { ...q }));
}

/**
 * The order to present ids in: ordering items scrambled (never already solved), matching's
 * right-hand choices shuffled, and option ids as they stand for the other types.
 */
export function displayOrder(q: QuestionFile, random: () => number): string[] {
	switch (q.type) {
		case 'ordering': {
			const key = q.items.map((i) => i.id);
			const order = shuffle(key, random);
			// A shuffle that lands on the key would hand out the answer; rotating by one is
			// bounded and always differs from the key when there are two or more items.
			const solved = order.every((id, i) => id === key[i]);
			return solved && key.length >= 2 ? [...key.slice(1), key[0] as string] : order;
		}
		case 'matching':
			return shuffle(
				q.pairs.map((p) => p.id),
				random
			);
		case 'single':
		case 'multiple':
			return q.options.map((o) => o.id);
		default:
			return [];
	}
}
