// A question bank read from GIFT or Moodle XML, on its way to our course files: each question as
// a draft in our quiz format (no lesson yet), with its line in the source, its category and any
// images it carries; and every question we could not take, with the reason.
import sanitizeHtml from 'sanitize-html';
import { questionSchema, type QuestionFile } from '../../content/schema';
import { sanitize, slugify } from '../content/markdown';

export interface BankImage {
	/** A file name safe to write beside the quiz (no folders). */
	name: string;
	data: Buffer;
}

export interface BankQuestion {
	line: number;
	/** The Moodle category path's last part, when the source had one. */
	category?: string;
	question: QuestionFile;
	images: BankImage[];
}

/** `skipped`: a type or feature we cannot represent; `error`: the input is broken; `note`: taken, with a change. */
export interface BankReport {
	line: number;
	kind: 'skipped' | 'error' | 'note';
	message: string;
}

export interface Bank {
	questions: BankQuestion[];
	reports: BankReport[];
}

/** A question being built from the source: our fields, some still missing. */
export type Draft = Record<string, unknown> & { type: QuestionFile['type']; prompt: string };

/** A problem with one question: the parsers throw it and report it against the question's line. */
export class QuestionProblem extends Error {
	constructor(
		readonly kind: 'skipped' | 'error',
		message: string,
		readonly line?: number
	) {
		super(message);
	}
}
export const skip = (message: string, line?: number) =>
	new QuestionProblem('skipped', message, line);
export const broken = (message: string, line?: number) =>
	new QuestionProblem('error', message, line);

/** An id in our format from any text, unique among `used` (which it joins). */
export function uniqueId(text: string, used: Set<string>, fallback: string): string {
	const words = slugify(text).split('-').filter(Boolean).slice(0, 6).join('-').slice(0, 60);
	const base = words.replace(/-+$/, '') || fallback;
	let id = base;
	for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
	used.add(id);
	return id;
}

/** HTML as the plain text an option, a feedback or a title holds. */
export function htmlToText(html: string): string {
	const withBreaks = html.replace(/<br\s*\/?>|<\/p>\s*<p[^>]*>/gi, ' ');
	return sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} })
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * HTML question text as a prompt: sanitised as lessons are, with images the source carried
 * (`@@PLUGINFILE@@/name`) turned into Markdown images of the file beside the quiz.
 */
export function htmlToPrompt(html: string, imageNames: Map<string, string> = new Map()): string {
	const withImages = html.replace(/<img\b[^>]*>/gi, (tag) => {
		const src = /\ssrc\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1] ?? '';
		const alt = /\salt\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1] ?? '';
		const name = imageNames.get(decodeURIComponent(src.replace(/^@@PLUGINFILE@@\//, '')));
		return name ? `\n\n![${htmlToText(alt) || 'Image'}](${name})\n\n` : '';
	});
	return sanitize(withImages)
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

const quote = (s: string) => `"${s}"`;
const list = (items: string[]) => items.map(quote).join(', ');

/** What the key is, in words: the feedback and explanation a question gets when the source had none. */
function keyInWords(q: Draft): string {
	switch (q.type) {
		case 'single':
		case 'multiple': {
			const options = q.options as { text: string; correct?: boolean }[];
			const right = options.filter((o) => o.correct).map((o) => o.text);
			return right.length === 1
				? `The answer is ${quote(right[0]!)}.`
				: `The answers are ${list(right)}.`;
		}
		case 'truefalse':
			return `The statement is ${q.answer ? 'true' : 'false'}.`;
		case 'numeric': {
			const unit = typeof q.unit === 'string' ? ` ${q.unit}` : '';
			const tolerance = Number(q.tolerance ?? 0);
			return `The answer is ${String(q.answer)}${unit}${tolerance ? ` (give or take ${tolerance})` : ''}.`;
		}
		case 'text':
			return `Accepted: ${list(q.accept as string[])}.`;
		case 'matching':
			return `The pairs are: ${(q.pairs as { left: string; right: string }[]).map((p) => `${p.left} → ${p.right}`).join('; ')}.`;
		case 'ordering':
			return `The order is: ${(q.items as { text: string }[]).map((i) => i.text).join(', ')}.`;
	}
}

/**
 * Completes a draft into a question of our format: the source may lack the feedback and
 * explanation our format requires, which then state the key (true, if plain; an author improves
 * them when linking the lesson). Returns the question, or the schema's complaint.
 */
export function finishQuestion(draft: Draft): QuestionFile {
	const key = keyInWords(draft);
	const q: Draft = { ...draft };
	if (!q.explanation) q.explanation = key;
	if (q.type === 'single' || q.type === 'multiple') {
		q.options = (q.options as { correct?: boolean; feedback?: string }[]).map((o) =>
			o.correct || o.feedback ? o : { ...o, feedback: key }
		);
	} else if (!q.feedback) q.feedback = key;
	const parsed = questionSchema.safeParse(q);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw broken(`${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
	}
	return parsed.data;
}

/** The module name of a Moodle category path ("$course$/top/Anatomy/Muscles" → "Muscles"). */
export function categoryName(path: string): string | undefined {
	const parts = path
		.split('/')
		.map((p) => p.trim())
		.filter((p) => p && !/^\$\w+\$$/.test(p) && p.toLowerCase() !== 'top');
	return parts.at(-1);
}

/** An answer of a choice question as Moodle weighs it: credit in percent of the points. */
export interface WeightedAnswer {
	credit: number;
	text: string;
	feedback?: string;
}

/**
 * A choice question from weighted answers. One answer at 100% and the rest at none or less: single
 * choice. Correct answers sharing 100% equally: multiple response with partial credit (each
 * wrong choice takes one share away, our rule). `want` is what the source said it is, when it did
 * (Moodle XML's <single>); `all-or-nothing` is the select-all plugin's type.
 */
export function choiceDraft(
	answers: WeightedAnswer[],
	base: Draft,
	notes: string[],
	want: 'either' | 'single' | 'multiple' | 'all-or-nothing'
): Draft {
	for (const a of answers)
		if (a.credit > 100 || a.credit < -100)
			throw broken(`the weight ${a.credit}% is outside -100% to 100%`);
	const right = answers.filter((a) => a.credit > 0);
	const wrong = answers.filter((a) => a.credit <= 0);
	if (!right.length)
		throw broken('no correct answer (mark one with = or give it a weight such as ~%50%)');
	const full = right.filter((a) => a.credit === 100);
	let type: 'single' | 'multiple';
	if (want === 'all-or-nothing') type = 'multiple';
	else if (full.length === 1 && right.length === 1)
		type = want === 'multiple' ? 'multiple' : 'single';
	else if (want === 'single' || full.length >= 1) {
		if (full.length > 1)
			throw skip(
				'several answers are fully correct; for a select-all question give each correct answer its share (~%50%)'
			);
		throw skip(
			'partial credit for a wrong option of a single-choice question cannot be represented'
		);
	} else {
		const total = right.reduce((s, a) => s + a.credit, 0);
		if (Math.abs(total - 100) > 0.1)
			throw broken(
				`the weights of the correct answers add up to ${Math.round(total * 1000) / 1000}%, not 100%`
			);
		const share = 100 / right.length;
		if (right.some((a) => Math.abs(a.credit - share) > 0.1))
			throw skip(
				`correct answers weighted unequally (${right.map((a) => `${a.credit}%`).join(', ')}) cannot be represented: our partial credit gives each correct answer the same share`
			);
		type = 'multiple';
		const penalties = wrong.filter((a) => Math.abs(a.credit + share) > 0.1);
		if (penalties.length)
			notes.push(
				`a wrong choice now takes away ${Math.round(share * 100) / 100}% (the share of one correct answer), as our partial credit does; the file said ${[...new Set(penalties.map((a) => `${a.credit}%`))].join(', ')}`
			);
	}
	const used = new Set<string>();
	return {
		...base,
		type,
		...(type === 'multiple' && want !== 'all-or-nothing' ? { scoring: 'partial' } : {}),
		options: answers.map((a) => ({
			id: uniqueId(a.text, used, 'option'),
			text: a.text,
			...(a.credit > 0 ? { correct: true } : {}),
			...(a.feedback ? { feedback: a.feedback } : {})
		}))
	};
}
