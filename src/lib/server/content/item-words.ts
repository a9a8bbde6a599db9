// Words as the item-writing checks compare them: lower case, Markdown marks dropped, common
// English stop words left out, and each word stemmed lightly so "stride", "strides" and
// "striding" count as one word. Deliberately small and predictable: authors read the results.

/**
 * Words that carry no topic: articles, pronouns, auxiliaries, prepositions, conjunctions, and the
 * words every quiz stem uses ("which", "best", "statement", "true", "false").
 */
export const STOP_WORDS = new Set(
	`a about above after again against all also am an and any are aren't as at be because been
	before being below between both but by can can't cannot could couldn't did didn't do does
	doesn't doing don't down during each even ever every few for from further get gets got had
	hadn't has hasn't have haven't having he her here hers herself him himself his how i if in
	into is isn't it it's its itself just least less let's like likely made make many may me might
	more most much must mustn't my myself near no nor not now of off on once one only or other
	ought our ours ourselves out over own per quite rather same shall she should shouldn't so some
	such than that that's the their theirs them themselves then there there's these they they'd
	they'll they're they've this those through to too under until up upon us very was wasn't we
	we'd we'll we're we've were weren't what what's when where which while who whom whose why will
	with within without won't would wouldn't yes yet you you'd you'll you're you've your yours
	yourself yourselves best better fits fit following correct statement statements true false
	answer option options describes describe describing true-or-false`.split(/\s+/)
);

/** Prompt Markdown reduced to its words: links keep their text, emphasis marks go. */
export function plainText(markdown: string): string {
	return markdown
		.replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[*_`~#>]/g, ' ')
		.replace(/[\u2018\u2019]/g, "'");
}

/** The words of a text in order, lower case (apostrophes kept inside words: "can't"). */
export function words(text: string): string[] {
	return (
		plainText(text)
			.toLowerCase()
			.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? []
	);
}

/**
 * A light suffix-stripping stemmer (plural, -ing, -ed; a final e dropped) so inflections meet:
 * "muscles"/"muscle" → "muscl", "running"/"runs"/"run" → "run", "injuries" → "injury". It is not
 * Porter's: it strips one suffix at most and never touches words of three letters or fewer.
 */
export function stem(word: string): string {
	let w = word.replace(/'s$/, '');
	if (w.length <= 3) return w;
	if (w.endsWith('ies')) return w.slice(0, -3) + 'y';
	for (const suffix of ['ing', 'ed', 'es', 's']) {
		if (!w.endsWith(suffix) || w.length - suffix.length < 3) continue;
		// "pass", "psoas"-like Latin "-us"/"-is" and "speed" keep their ending.
		if (suffix === 's' && /(?:ss|us|is)$/.test(w)) break;
		if (suffix === 'ed' && w.endsWith('eed')) break;
		w = w.slice(0, -suffix.length);
		// "running" → "runn" → "run"; "stopped" → "stopp" → "stop".
		if (
			(suffix === 'ing' || suffix === 'ed') &&
			/([b-df-hj-np-tv-z])\1$/.test(w) &&
			!/(ll|ss|ff|zz)$/.test(w)
		)
			w = w.slice(0, -1);
		break;
	}
	return w.length > 3 ? w.replace(/e$/, '') : w;
}

/** The stems of a text's content words (stop words and one-letter words left out). */
export function contentStems(text: string): Set<string> {
	return new Set(
		words(text)
			.filter((w) => w.length > 1 && !STOP_WORDS.has(w))
			.map(stem)
	);
}

/** Word-set similarity: shared stems over all stems (Jaccard index), 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
	let shared = 0;
	for (const w of a) if (b.has(w)) shared++;
	const union = a.size + b.size - shared;
	return union === 0 ? 0 : shared / union;
}
