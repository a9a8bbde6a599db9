// GIFT, Moodle's text format for question banks (docs.moodle.org/en/GIFT_format), read into
// drafts of our quiz format. Questions are separated by blank lines; `//` lines are comments
// (a comment's `[id:…]` and `[tag:…]` name the next question, as Moodle reads them);
// `$CATEGORY:` sets the category; `::title::`, `[html]`/`[markdown]`/`[plain]`/`[moodle]` and
// one `{…}` answer block make a question. Our own parser rather than gift-pegjs: that package
// rests on pegjs 0.10 (unmaintained since 2017) and gives no line per question, which every
// `file:line: skipped` report needs.
import {
	broken,
	categoryName,
	choiceDraft,
	finishQuestion,
	htmlToPrompt,
	htmlToText,
	QuestionProblem,
	skip,
	uniqueId,
	type Bank,
	type Draft
} from './question-bank';

// Escaped special characters become private-use characters while the question is split, and
// the characters again in the text that is kept. `\n` is a new line in GIFT.
const ESCAPES: Record<string, string> = {
	'~': '\uE001',
	'=': '\uE002',
	'#': '\uE003',
	'{': '\uE004',
	'}': '\uE005',
	':': '\uE006',
	'\\': '\uE007'
};
const UNESCAPES = Object.fromEntries(Object.entries(ESCAPES).map(([c, p]) => [p, c]));
const hide = (s: string) =>
	s.replace(/\\([~=#{}:\\n])/g, (_, c: string) => (c === 'n' ? '\n' : ESCAPES[c]!));
const unhide = (s: string) => s.replace(/[\uE001-\uE007]/g, (p) => UNESCAPES[p]!);

type Format = 'html' | 'markdown' | 'plain' | 'moodle';

interface Answer {
	kind: '=' | '~';
	weight?: number;
	text: string;
	feedback?: string;
}

const WEIGHT = /^%(-?\d+(?:\.\d+)?)%/;

/** Splits "text#feedback" (escapes still hidden). */
function withFeedback(s: string): { text: string; feedback?: string } {
	const at = s.indexOf('#');
	if (at < 0) return { text: s.trim() };
	return { text: s.slice(0, at).trim(), feedback: s.slice(at + 1).trim() || undefined };
}

/** The `=`/`~` answers of a block (escapes hidden); text before the first one is an error. */
function splitAnswers(body: string): Answer[] {
	const parts = body.split(/(?=[=~])/);
	const lead = parts[0]!.trim();
	if (lead && !/^[=~]/.test(lead))
		throw broken(
			`unknown question type: the answer block starts with "${unhide(lead).slice(0, 30)}" (expected =, ~, #, TRUE or FALSE)`
		);
	return parts
		.filter((p) => /^[=~]/.test(p))
		.map((p) => {
			let rest = p.slice(1).trimStart();
			let weight: number | undefined;
			const w = WEIGHT.exec(rest);
			if (w) {
				weight = Number(w[1]);
				if (weight > 100 || weight < -100)
					throw broken(`the weight ${weight}% is outside -100% to 100%`);
				rest = rest.slice(w[0].length);
			}
			return { kind: p[0] as '=' | '~', weight, ...withFeedback(rest) };
		});
}

function parseNumber(s: string): number {
	const n = Number(s.trim());
	if (s.trim() === '' || !Number.isFinite(n)) throw broken(`"${s.trim()}" is not a number`);
	return n;
}

/** "5", "5:0.5" or "5..10" as answer and tolerance. */
function numericValue(s: string): { answer: number; tolerance: number } {
	const range = /^(.*?)\.\.(.*)$/.exec(s);
	if (range) {
		const low = parseNumber(range[1]!);
		const high = parseNumber(range[2]!);
		if (low > high) throw broken(`the range ${low}..${high} runs backwards`);
		return { answer: (low + high) / 2, tolerance: (high - low) / 2 };
	}
	const [value, tolerance] = s.split(':');
	return {
		answer: parseNumber(value!),
		tolerance: tolerance === undefined ? 0 : Math.abs(parseNumber(tolerance))
	};
}

const isWildcard = (a: Answer) => a.text === '*' && (a.weight ?? 100) <= 0;

function numericQuestion(body: string, base: Draft): Draft {
	const text = body.trim();
	if (!/^[=~]/.test(text)) {
		const { text: value, feedback } = withFeedback(text);
		return { ...base, type: 'numeric', ...numericValue(value), feedback };
	}
	const answers = splitAnswers(text);
	const full = answers.filter((a) => a.kind === '=' && (a.weight ?? 100) === 100 && a.text !== '*');
	if (answers.some((a) => a.kind === '~'))
		throw broken('a numeric answer block takes only = answers');
	if (answers.some((a) => !full.includes(a) && !isWildcard(a)))
		throw skip('numeric answers with partial credit (=%50%…) cannot be represented');
	if (full.length !== 1)
		throw skip('numeric questions with several correct answers cannot be represented');
	return {
		...base,
		type: 'numeric',
		...numericValue(full[0]!.text),
		feedback: answers.find(isWildcard)?.feedback
	};
}

/** Choice questions: single, or multiple when weights share the credit. */
function choiceQuestion(answers: Answer[], base: Draft, notes: string[]): Draft {
	return choiceDraft(
		answers.map((a) => ({
			credit: a.kind === '=' ? (a.weight ?? 100) : (a.weight ?? 0),
			text: a.text,
			feedback: a.feedback
		})),
		base,
		notes,
		'either'
	);
}

function answerQuestion(body: string, base: Draft, notes: string[]): Draft {
	const trimmed = body.trim();
	if (!trimmed) throw skip('essay questions (an empty answer block) need a person to mark them');
	if (trimmed.startsWith('#')) return numericQuestion(trimmed.slice(1), base);
	const tf = /^(TRUE|FALSE|T|F)(?![A-Za-z])/.exec(trimmed);
	if (tf) {
		const [, wrongFeedback] = trimmed.slice(tf[1]!.length).split('#');
		if (trimmed.slice(tf[1]!.length).trim() && !trimmed.slice(tf[1]!.length).trim().startsWith('#'))
			throw broken(`unexpected text after ${tf[1]}`);
		return {
			...base,
			type: 'truefalse',
			answer: tf[1]!.startsWith('T'),
			feedback: wrongFeedback?.trim() || undefined
		};
	}
	const answers = splitAnswers(trimmed);
	if (answers.length && answers.every((a) => a.kind === '=')) {
		if (answers.some((a) => a.text.includes('->'))) {
			const pairs = answers.map((a) => {
				const at = a.text.indexOf('->');
				if (at < 0)
					throw broken(
						`"${a.text}" has no "->" (every answer of a matching question pairs two texts)`
					);
				return { left: a.text.slice(0, at).trim(), right: a.text.slice(at + 2).trim() };
			});
			if (pairs.some((p) => !p.left))
				throw skip('matching answers with no question (extra wrong answers) cannot be represented');
			if (answers.some((a) => a.feedback))
				notes.push(
					'feedback on matching pairs was left out (our matching questions have one feedback)'
				);
			const used = new Set<string>();
			return {
				...base,
				type: 'matching',
				pairs: pairs.map((p) => ({ id: uniqueId(p.left, used, 'pair'), ...p }))
			};
		}
		const accepted = answers.filter((a) => (a.weight ?? 100) === 100 && a.text !== '*');
		if (answers.some((a) => !accepted.includes(a) && !isWildcard(a)))
			throw skip('short answers with partial credit (=%50%…) cannot be represented');
		if (!accepted.length) throw broken('no accepted answer');
		return {
			...base,
			type: 'text',
			accept: accepted.map((a) => a.text),
			feedback: answers.find(isWildcard)?.feedback
		};
	}
	return choiceQuestion(answers, base, notes);
}

/** Text of a question in our Markdown, from its GIFT format. */
function promptText(text: string, format: Format): string {
	return format === 'html' ? htmlToPrompt(text) : text.trim();
}
function plainText(text: string, format: Format): string {
	return format === 'html' ? htmlToText(text) : text.trim();
}

/** Applies `fn` to every text field of a draft: restoring escapes, reading HTML. */
function mapTexts(q: Draft, fn: (s: string, kind: 'prompt' | 'plain') => string): Draft {
	const out: Draft = { ...q, prompt: fn(q.prompt, 'prompt') };
	for (const key of ['explanation', 'feedback'] as const)
		if (typeof out[key] === 'string') out[key] = fn(out[key], 'plain');
	if (Array.isArray(out.options))
		out.options = (out.options as { text: string; feedback?: string }[]).map((o) => ({
			...o,
			text: fn(o.text, 'plain'),
			...(o.feedback ? { feedback: fn(o.feedback, 'plain') } : {})
		}));
	if (Array.isArray(out.pairs))
		out.pairs = (out.pairs as Record<string, string>[]).map((p) => ({
			...p,
			left: fn(p.left!, 'plain'),
			right: fn(p.right!, 'plain')
		}));
	if (Array.isArray(out.accept)) out.accept = (out.accept as string[]).map((a) => fn(a, 'plain'));
	return out;
}

interface Block {
	line: number;
	lines: string[];
	/** `[id:…]` and `[tag:…]` from the comments before it. */
	meta: { id?: string; tags: string[] };
}

/** Reads a GIFT file's text; every question we take or leave is accounted for in the result. */
export function parseGift(source: string): Bank {
	const bank: Bank = { questions: [], reports: [] };
	const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
	const blocks: Block[] = [];
	let current: Block | undefined;
	let meta: Block['meta'] = { tags: [] };
	lines.forEach((raw, i) => {
		const trimmed = raw.trim();
		if (trimmed.startsWith('//')) {
			const id = /\[id:([^\]]+)\]/.exec(trimmed)?.[1];
			if (id) meta.id = id.trim();
			for (const m of trimmed.matchAll(/\[tag:([^\]]+)\]/g)) meta.tags.push(m[1]!.trim());
			return;
		}
		if (!trimmed) {
			current = undefined;
			return;
		}
		if (!current) {
			current = { line: i + 1, lines: [], meta };
			meta = { tags: [] };
			blocks.push(current);
		}
		current.lines.push(raw);
	});

	let category: string | undefined;
	const ids = new Set<string>();
	for (const block of blocks) {
		let text = block.lines.join('\n');
		let line = block.line;
		const cat = /^\s*\$CATEGORY:\s*(.*)$/m.exec(text);
		if (cat && text.trimStart().startsWith('$CATEGORY:')) {
			category = categoryName(cat[1]!.trim());
			text = block.lines.slice(1).join('\n');
			line += 1;
			if (!text.trim()) continue;
		}
		const notes: string[] = [];
		try {
			const question = readQuestion(hide(text), line, block.meta, ids, notes);
			bank.questions.push({ line, category, question, images: [] });
			for (const note of notes) bank.reports.push({ line, kind: 'note', message: note });
		} catch (e) {
			if (!(e instanceof QuestionProblem)) throw e;
			bank.reports.push({ line: e.line ?? line, kind: e.kind, message: e.message });
		}
	}
	return bank;
}

function readQuestion(
	text: string,
	line: number,
	meta: Block['meta'],
	ids: Set<string>,
	notes: string[]
) {
	const lineAt = (offset: number) => line + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
	const open = text.indexOf('{');
	if (open < 0) throw skip('a description (text with no answer block) has nothing to answer');
	const close = text.indexOf('}', open);
	const reopened = text.indexOf('{', open + 1);
	if (close < 0 || (reopened >= 0 && reopened < close))
		throw broken('unclosed brace: the answer block opened here has no }', lineAt(open));
	if (text.indexOf('{', close) >= 0)
		throw skip(
			'several answer blocks in one question (embedded answers, cloze) cannot be represented'
		);
	if (text.indexOf('}', close + 1) >= 0)
		throw broken('a } with no { before it', lineAt(text.indexOf('}', close + 1)));

	let head = text.slice(0, open);
	const tail = text.slice(close + 1).trim();
	let title: string | undefined;
	const titled = /^\s*::([\s\S]*?)::/.exec(head);
	if (titled) {
		title = titled[1]!.trim();
		head = head.slice(titled[0].length);
	}
	let format: Format = 'moodle';
	const fmt = /^\s*\[(html|markdown|plain|moodle)\]/i.exec(head);
	if (fmt) {
		format = fmt[1]!.toLowerCase() as Format;
		head = head.slice(fmt[0].length);
	}
	let body = text.slice(open + 1, close);
	let explanation: string | undefined;
	const general = body.indexOf('####');
	if (general >= 0) {
		explanation = body.slice(general + 4).trim() || undefined;
		body = body.slice(0, general);
	}
	// Text after the answer block: a "missing word" question; the blank shows where it goes.
	const prompt = tail ? `${head.trim()} _____ ${tail}` : head.trim();
	if (!prompt.trim()) throw broken('the question has no text');
	const base: Draft = { type: 'single', prompt, explanation };
	let draft: Draft;
	try {
		draft = answerQuestion(body, base, notes);
	} catch (e) {
		if (e instanceof QuestionProblem && e.line === undefined)
			throw new QuestionProblem(e.kind, e.message, lineAt(open));
		throw e;
	}
	draft = mapTexts(draft, (s, kind) => {
		const restored = unhide(s);
		return kind === 'prompt' ? promptText(restored, format) : plainText(restored, format);
	});
	const id =
		meta.id && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(meta.id) && !ids.has(meta.id)
			? meta.id
			: undefined;
	if (id) ids.add(id);
	const tags = meta.tags.filter((t) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(t));
	return finishQuestion({
		...draft,
		id: id ?? uniqueId(title ? unhide(title) : htmlToText(draft.prompt), ids, 'question'),
		...(tags.length ? { tags } : {})
	});
}
