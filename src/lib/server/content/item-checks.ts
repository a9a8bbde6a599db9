// Item-writing checks: flaws that let a learner who knows nothing find the answer (the longest
// option, a word echoed from the stem, "always" in a true/false statement…), or that make two
// items one. Pure: they take a list of items from anywhere (quiz files today, questions inside
// lessons later), each with its file and line, and return warnings; docs/course-format.md
// explains every check and how to silence it for one item.
import type { ItemCheckId, QuestionFile } from '../../content/schema';
import { contentStems, jaccard, plainText, stem, words } from './item-words';

export interface CheckItem {
	question: QuestionFile;
	/** The quiz (or other set) the item is taken in: the per-quiz checks count within it. */
	quiz: { id: string; shuffleOptions: boolean };
	file: string;
	/** The question's line, when known. */
	line?: number;
	/** Lines of its options by option id, when known. */
	optionLines?: Record<string, number>;
}

export interface ItemWarning {
	check: ItemCheckId;
	file: string;
	line?: number;
	questionId: string;
	message: string;
	/** The other item, for a warning about a pair (near-duplicate). */
	related?: { questionId: string; file: string; line?: number };
}

/** More than this share of a quiz's single-choice items with the longest option as key warns. */
export const LONGEST_KEY_SHARE = 1 / 3;
/** Fewer single-choice items than this, and the share means little: no longest-key warning. */
export const LONGEST_KEY_MIN_ITEMS = 3;
/**
 * Two items whose stem-and-key word sets overlap this much (Jaccard index) are near-copies.
 * Tuned on the hip flexor course's second edition: the two pairs that reuse their wording
 * score 0.29 and 0.50, while the closest pair testing different facts scores 0.25.
 */
export const NEAR_DUPLICATE_THRESHOLD = 0.28;
/** A scenario's situation (the stem before its question) needs at least this many words. */
export const SCENARIO_MIN_WORDS = 8;

/**
 * Specific determiners: a true/false statement that says "always" or "never" is usually false,
 * and test-wise learners know it.
 */
export const ABSOLUTE_WORDS = [
	'always',
	'never',
	'all',
	'none',
	'nothing',
	'nobody',
	'everyone',
	'everybody',
	'everything',
	'every',
	'only',
	'completely',
	'entirely',
	'totally',
	'absolutely',
	'permanently',
	'certainly',
	'definitely',
	'clearly',
	'proven',
	'guaranteed',
	'impossible'
];
/** Hedges: "can", "may", "sometimes" make a statement hard to falsify, so it reads as true. */
export const HEDGE_WORDS = [
	'can',
	'may',
	'might',
	'sometimes',
	'often',
	'usually',
	'possibly',
	'some'
];

/** "All of the above", "none of these" and kin. */
const ALL_OR_NONE =
	/\b(?:all|none|both|neither)\s+(?:of\s+)?(?:the\s+)?(?:above|these|them|those|others|other\s+(?:answers|options))\b/i;

/** Someone in the situation: a person word, a pronoun, an age, or a name mid-sentence. */
const PERSON_WORDS = new Set(
	`you your yourself he she they their them his her someone somebody person people man woman boy
	girl child children teenager teen adult runner runners athlete athletes learner student pupil
	patient client customer guest colleague friend partner parent mother father coach player
	member team teammate doctor nurse physio physiotherapist manager user worker driver`.split(/\s+/)
);
/**
 * Something happening or observed: an observation verb, a symptom or state, or a number (a
 * distance, an age, a duration). Stems, as stem() gives them.
 */
const FINDING_STEMS = new Set(
	`notic feel feels felt find found see sees saw hear heard report complain show film count measur
	test pain ach achy sore stiff tight numb tingl limp click catch lock swell swollen bruis fever
	hot shiver pop hurt injur wors worsen better improv eas drop hunch lump weak tir cold bitter
	sudden sharp fail miss broke fell fall slip wake woke`
		.split(/\s+/)
		.map(stem)
);
const NUMBER_WORDS = new Set(
	`two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty
	hundred half`.split(/\s+/)
);

const allowed = (item: CheckItem, check: ItemCheckId) => item.question.allow?.[check] !== undefined;

type Choice = Extract<QuestionFile, { type: 'single' | 'multiple' }>;
const isChoice = (q: QuestionFile): q is Choice => q.type === 'single' || q.type === 'multiple';
const length = (s: string) => s.trim().replace(/\s+/g, ' ').length;

/** The stem without a "True or false:" lead-in (it says nothing about the topic). */
const statement = (prompt: string) =>
	plainText(prompt).replace(/^\s*true\s+or\s+false\s*[:?]\s*/i, '');

/** What a learner must produce to score: the key, as text. */
export function keyText(q: QuestionFile): string {
	switch (q.type) {
		case 'single':
		case 'multiple':
			return q.options
				.filter((o) => o.correct)
				.map((o) => o.text)
				.join(' ');
		case 'ordering':
			return q.items.map((i) => i.text).join(' ');
		case 'matching':
			return q.pairs.map((p) => `${p.left} ${p.right}`).join(' ');
		case 'numeric':
			return `${q.answer} ${q.unit ?? ''}`;
		case 'text':
			return q.accept[0] ?? '';
		case 'truefalse':
			return '';
	}
}

const warning = (
	item: CheckItem,
	check: ItemCheckId,
	message: string,
	line = item.line
): ItemWarning => ({ check, file: item.file, line, questionId: item.question.id, message });

/** Items grouped by the quiz they are taken in, in their order. */
function byQuiz(items: readonly CheckItem[]): CheckItem[][] {
	const groups = new Map<string, CheckItem[]>();
	for (const item of items) {
		const key = `${item.file}\u0000${item.quiz.id}`;
		groups.set(key, [...(groups.get(key) ?? []), item]);
	}
	return [...groups.values()];
}

/** Whether the key (a single-choice item's one correct option) is longer than every distractor. */
export function keyIsLongest(q: QuestionFile): boolean {
	if (q.type !== 'single') return false;
	const key = q.options.find((o) => o.correct)!;
	return q.options.every((o) => o === key || length(o.text) < length(key.text));
}

/**
 * longest-key: in more than a third of a quiz's single-choice items the key is strictly the
 * longest option. Reported on each such item, so authors see which to even out. An allowed
 * item is left out of the count.
 */
export function longestKey(items: readonly CheckItem[]): ItemWarning[] {
	return byQuiz(items).flatMap((group) => {
		const singles = group.filter((i) => i.question.type === 'single' && !allowed(i, 'longest-key'));
		const longest = singles.filter((i) => keyIsLongest(i.question));
		if (
			singles.length < LONGEST_KEY_MIN_ITEMS ||
			longest.length <= singles.length * LONGEST_KEY_SHARE
		)
			return [];
		const most = Math.floor(singles.length * LONGEST_KEY_SHARE);
		return longest.map((i) =>
			warning(
				i,
				'longest-key',
				`The correct option is the longest, as in ${longest.length} of ${singles.length} ` +
					`single-choice items of "${i.quiz.id}" (at most ${most} may be). Make the distractors ` +
					'as long and as specific as the key.'
			)
		);
	});
}

/** Where a choice item's key sits in the file: the places it could be said to be "always at". */
function keyPlaces(q: Choice): string[] {
	const n = q.options.length;
	const correct = q.options.flatMap((o, i) => (o.correct ? [i] : []));
	const leads = correct.every((i, k) => i === k);
	const trails = correct.every((i, k) => i === n - correct.length + k);
	if (q.type === 'multiple') return [...(leads ? ['first'] : []), ...(trails ? ['last'] : [])];
	const at = correct[0]!;
	return [at === 0 ? 'first' : `number ${at + 1}`, ...(at === n - 1 ? ['last'] : [])];
}

/**
 * key-position: every choice item of a quiz (two or more) has its key at the same place in the
 * file: first, last, or the same number. It applies whether or not options are shuffled: a
 * shuffled attempt hides the file's order, but it shows again when shuffling is switched off, in
 * an export (GIFT, Moodle XML) and to reviewers. A pinned key keeps its place even in a shuffle.
 */
export function keyPosition(items: readonly CheckItem[]): ItemWarning[] {
	return byQuiz(items).flatMap((group) => {
		const choices = group.filter((i) => isChoice(i.question) && !allowed(i, 'key-position'));
		if (choices.length < 2) return [];
		const [first, ...rest] = choices.map((i) => keyPlaces(i.question as Choice));
		const common = first!.filter((place) => rest.every((places) => places.includes(place)));
		if (!common.length) return [];
		const shuffled = choices[0]!.quiz.shuffleOptions
			? ' Options are shuffled for learners, but the file order shows in exports and to reviewers.'
			: '';
		return [
			warning(
				choices[0]!,
				'key-position',
				`In all ${choices.length} choice questions of "${choices[0]!.quiz.id}" the correct option ` +
					`is ${common[0]}. Vary where the ` +
					`right answer sits.${shuffled}`
			)
		];
	});
}

/** all-or-none-option: "all of the above", "none of these" and kin as an option. */
export function allOrNoneOption(items: readonly CheckItem[]): ItemWarning[] {
	return items.flatMap((item) => {
		const q = item.question;
		if (!isChoice(q) || allowed(item, 'all-or-none-option')) return [];
		return q.options
			.filter((o) => ALL_OR_NONE.test(plainText(o.text)))
			.map((o) =>
				warning(
					item,
					'all-or-none-option',
					`Option "${o.text}" is an "all/none of these" option: it rewards partial knowledge ` +
						'(spotting one wrong or two right options is enough). Write a real distractor instead.',
					item.optionLines?.[o.id] ?? item.line
				)
			);
	});
}

/** The words of `text` whose stems are in `cue` and not in `others`, each once, as written. */
function echoedWords(text: string, cue: Set<string>, others: Set<string>): string[] {
	const seen = new Set<string>();
	return words(text).filter((w) => {
		const s = stem(w);
		if (seen.has(s) || contentStems(w).size === 0 || !cue.has(s) || others.has(s)) return false;
		seen.add(s);
		return true;
	});
}

const quoted = (ws: string[]) => ws.map((w) => `"${w}"`).join(', ');

/**
 * key-repeats-stem: a content word of the stem (not a stop word, lightly stemmed, see
 * item-words.ts) that the key repeats and no distractor shares: a learner matches words, not
 * ideas. Single and multiple choice (each correct option held against the wrong ones), and
 * matching, where an item and its own answer must not share a word no other answer has.
 */
export function keyRepeatsStem(items: readonly CheckItem[]): ItemWarning[] {
	return items.flatMap((item) => {
		const q = item.question;
		if (allowed(item, 'key-repeats-stem')) return [];
		if (q.type === 'matching')
			return q.pairs.flatMap((p) => {
				const others = new Set(
					q.pairs.filter((o) => o !== p).flatMap((o) => [...contentStems(o.right)])
				);
				const echoed = echoedWords(p.right, contentStems(p.left), others);
				return echoed.length
					? [
							warning(
								item,
								'key-repeats-stem',
								`"${p.left}" and its answer "${p.right}" share ${quoted(echoed)}, which no other ` +
									'answer uses: the words give the match away. Reword one of them.'
							)
						]
					: [];
			});
		if (!isChoice(q)) return [];
		const stemWords = contentStems(q.prompt);
		const distractorWords = new Set(
			q.options.filter((o) => !o.correct).flatMap((o) => [...contentStems(o.text)])
		);
		return q.options
			.filter((o) => o.correct)
			.flatMap((o) => {
				const echoed = echoedWords(o.text, stemWords, distractorWords);
				if (!echoed.length) return [];
				return [
					warning(
						item,
						'key-repeats-stem',
						`The correct option repeats the stem's ${quoted(echoed)}, which no wrong option ` +
							'uses: the words give the answer away. Echo the stem in a distractor too, or ' +
							'reword the key.',
						item.optionLines?.[o.id] ?? item.line
					)
				];
			});
	});
}

/** absolute-word and hedge-word: specific determiners in true/false statements. */
export function trueFalseQualifiers(items: readonly CheckItem[]): ItemWarning[] {
	return items.flatMap((item) => {
		const q = item.question;
		if (q.type !== 'truefalse') return [];
		const said = words(statement(q.prompt));
		const found = (list: string[]) => [...new Set(said.filter((w) => list.includes(w)))];
		const out: ItemWarning[] = [];
		const absolutes = found(ABSOLUTE_WORDS);
		if (absolutes.length && !allowed(item, 'absolute-word'))
			out.push(
				warning(
					item,
					'absolute-word',
					`The statement says ${absolutes.map((w) => `"${w}"`).join(', ')}: absolute words mark ` +
						'a statement as false to a test-wise learner. State the claim without them.'
				)
			);
		const hedges = found(HEDGE_WORDS);
		// A hedge gives the answer away only when the statement is true.
		if (q.answer && hedges.length && !allowed(item, 'hedge-word'))
			out.push(
				warning(
					item,
					'hedge-word',
					`The statement says ${hedges.map((w) => `"${w}"`).join(', ')}: a hedged statement is ` +
						'hard to make false, so learners answer True without knowing. Make a definite claim.'
				)
			);
		return out;
	});
}

/**
 * near-duplicate: two items whose stem-and-key word sets (content stems) reach a Jaccard index
 * of NEAR_DUPLICATE_THRESHOLD, in the same quiz or across quizzes: one answers the other, or a
 * learner meets the same question twice. Either item's allow silences the pair.
 */
export function nearDuplicates(items: readonly CheckItem[]): ItemWarning[] {
	const sets = items.map((i) =>
		contentStems(`${statement(i.question.prompt)} ${keyText(i.question)}`)
	);
	const out: ItemWarning[] = [];
	for (let a = 0; a < items.length; a++)
		for (let b = a + 1; b < items.length; b++) {
			const [x, y] = [items[a]!, items[b]!];
			if (allowed(x, 'near-duplicate') || allowed(y, 'near-duplicate')) continue;
			const similarity = jaccard(sets[a]!, sets[b]!);
			if (similarity < NEAR_DUPLICATE_THRESHOLD) continue;
			out.push({
				...warning(
					x,
					'near-duplicate',
					`Shares ${Math.round(similarity * 100)}% of its stem and key words with ` +
						`"${y.question.id}": rewrite one so each tests its own fact.`
				),
				related: { questionId: y.question.id, file: y.file, line: y.line }
			});
		}
	return out;
}

/** A capitalised word inside a sentence, such as "Sam" in "…of a race, Sam kicks hard". */
const namesSomeone = (text: string) =>
	(text.match(/[^.?!]+/g) ?? []).some((sentence) =>
		sentence
			.trim()
			.split(/\s+/)
			.slice(1)
			.some((w) => /^[A-Z][a-z]+[,;:]?$/.test(w))
	);

/** The situation a scenario stem sets up: the text before its last question, plus matching's items. */
export function situationOf(q: QuestionFile): string {
	const text = plainText(q.prompt).trim();
	const sentences = text.match(/[^.?!]+[.?!]*/g) ?? [text];
	const last = sentences.at(-1) ?? '';
	const before = last.trim().endsWith('?') ? sentences.slice(0, -1).join(' ') : text;
	const extra = q.type === 'matching' ? q.pairs.map((p) => p.left).join('. ') : '';
	return `${before} ${extra}`.trim();
}

/**
 * scenario-without-situation: an item tagged "scenario" whose stem does not set up a situation.
 * The situation (the stem before its question; for matching, with the left-hand items too) must
 * have SCENARIO_MIN_WORDS words, name someone (a person word, "you", an age or a name; two
 * findings will do instead) and say what happens or is observed (a number, or a symptom, state or
 * observation word). A stem that only says who wants what ("A runner wants to roll the psoas") is
 * recall in a scenario's clothes.
 */
export function scenarioWithoutSituation(items: readonly CheckItem[]): ItemWarning[] {
	return items.flatMap((item) => {
		const q = item.question;
		if (!(q.tags ?? []).includes('scenario') || allowed(item, 'scenario-without-situation'))
			return [];
		const situation = situationOf(q);
		const said = words(situation);
		const missing: string[] = [];
		if (said.length < SCENARIO_MIN_WORDS)
			missing.push(
				`it is ${said.length} words before the question (${SCENARIO_MIN_WORDS} at least)`
			);
		const names =
			said.some((w) => PERSON_WORDS.has(w) || PERSON_WORDS.has(stem(w))) ||
			/\b\d+-year-old\b/i.test(situation) ||
			namesSomeone(situation);
		const findings = said.filter(
			(w) => /^\d/.test(w) || NUMBER_WORDS.has(w) || FINDING_STEMS.has(stem(w))
		).length;
		// Two findings imply someone who has them ("both hips feel achy and stiff").
		if (!names && findings < 2) missing.push('it names no one');
		if (!findings) missing.push('nothing happens or is observed (no symptom, finding or number)');
		if (!missing.length) return [];
		return [
			warning(
				item,
				'scenario-without-situation',
				`Tagged "scenario", but the stem sets up no situation: ${missing.join('; ')}. Describe ` +
					'what someone shows or faces, and ask what it means or what to do, or drop the tag.'
			)
		];
	});
}

/** Every item-writing check over a set of items (a course's quizzes, or any other list). */
export function checkItems(items: readonly CheckItem[]): ItemWarning[] {
	return [
		...longestKey(items),
		...keyPosition(items),
		...allOrNoneOption(items),
		...keyRepeatsStem(items),
		...trueFalseQualifiers(items),
		...nearDuplicates(items),
		...scenarioWithoutSituation(items)
	];
}
