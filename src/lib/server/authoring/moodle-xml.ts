// Moodle XML (docs.moodle.org/en/Moodle_XML_format), read into drafts of our quiz format with
// fast-xml-parser: CDATA and entities come out as text, base64 <file>s as images beside the quiz.
// The parser gives no positions, so each <question>'s line is found by scanning the source with
// comments and CDATA blanked out (the nth <question in the text is the nth element).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
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
	type BankImage,
	type Draft
} from './question-bank';
import { safeImageName } from './images';

type Node = Record<string, unknown>;

const NOT_REPRESENTABLE: Record<string, string> = {
	essay: 'essay questions need a person to mark them',
	description: 'a description has nothing to answer',
	multianswer: 'embedded answers (cloze) cannot be represented',
	calculated: 'calculated questions (formulas with variables) cannot be represented',
	calculatedsimple: 'calculated questions (formulas with variables) cannot be represented',
	calculatedmulti: 'calculated questions (formulas with variables) cannot be represented',
	ddimageortext: 'drag and drop onto an image cannot be represented',
	ddmarker: 'drag and drop markers cannot be represented',
	ddwtos: 'drag and drop into text cannot be represented',
	gapselect: 'select missing words cannot be represented',
	randomsamatch: 'random short-answer matching cannot be represented',
	random: 'a random question is drawn from a category at attempt time; import the category itself'
};

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: true,
	isArray: (name) => ['question', 'answer', 'subquestion', 'file', 'tag', 'unit'].includes(name)
});

/** The lines where each <question element starts. */
function questionLines(xml: string): number[] {
	const blanked = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) =>
		m.replace(/[^\n]/g, ' ')
	);
	const lines: number[] = [];
	for (const m of blanked.matchAll(/<question[\s>]/g))
		lines.push((blanked.slice(0, m.index).match(/\n/g)?.length ?? 0) + 1);
	return lines;
}

const str = (v: unknown): string =>
	typeof v === 'string'
		? v
		: typeof v === 'number' || typeof v === 'boolean'
			? String(v)
			: v && typeof v === 'object'
				? str((v as Node)['#text'])
				: '';
/** The <text> of an element such as <questiontext>, and its format. */
function textOf(node: unknown): { text: string; format: string } {
	if (!node || typeof node !== 'object') return { text: str(node), format: 'html' };
	const n = node as Node;
	return { text: str(n.text), format: str(n['@format']) || 'html' };
}
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);

function prompt(node: unknown, images: Map<string, string>): string {
	const { text, format } = textOf(node);
	if (format === 'html' || format === 'moodle_auto_format') return htmlToPrompt(text, images);
	// Markdown or plain text: images point at @@PLUGINFILE@@ as in HTML.
	return text
		.replace(/@@PLUGINFILE@@\/([^)\s"']+)/g, (whole, name: string) => {
			return images.get(decodeURIComponent(name)) ?? whole;
		})
		.trim();
}
const plain = (node: unknown) => htmlToText(textOf(node).text);
const feedbackOf = (answer: Node) => plain(answer.feedback) || undefined;
const fraction = (answer: Node) => {
	const n = Number(str(answer['@fraction']) || '0');
	if (!Number.isFinite(n))
		throw broken(`the fraction "${str(answer['@fraction'])}" is not a number`);
	return n;
};
const isWildcard = (a: Node) => plain(a).trim() === '*' && fraction(a) <= 0;

function numericValue(a: Node): { answer: number; tolerance: number } {
	const raw = plain(a);
	const answer = Number(raw);
	const tolerance = Math.abs(Number(str(a.tolerance) || '0'));
	if (!raw || !Number.isFinite(answer)) throw broken(`"${raw}" is not a number`);
	if (!Number.isFinite(tolerance))
		throw broken(`the tolerance "${str(a.tolerance)}" is not a number`);
	return { answer, tolerance };
}

function readDraft(type: string, q: Node, base: Draft, notes: string[]): Draft {
	const answers = list(q.answer);
	switch (type) {
		case 'multichoice':
		case 'multichoiceset': {
			const single = str(q.single).trim().toLowerCase();
			const want =
				type === 'multichoiceset'
					? 'all-or-nothing'
					: single === 'false' || single === '0'
						? 'multiple'
						: 'single';
			return choiceDraft(
				answers.map((a) => ({ credit: fraction(a), text: plain(a), feedback: feedbackOf(a) })),
				base,
				notes,
				want
			);
		}
		case 'truefalse': {
			const right = answers.find((a) => fraction(a) === 100);
			const wrong = answers.find((a) => a !== right);
			const word = right && plain(right).toLowerCase();
			if (word !== 'true' && word !== 'false')
				throw broken('a true/false question needs a "true" or "false" answer at 100%');
			return {
				...base,
				type: 'truefalse',
				answer: word === 'true',
				feedback: wrong && feedbackOf(wrong)
			};
		}
		case 'shortanswer': {
			const accepted = answers.filter((a) => fraction(a) === 100 && !isWildcard(a));
			if (answers.some((a) => !accepted.includes(a) && !isWildcard(a)))
				throw skip('short answers with partial credit cannot be represented');
			if (!accepted.length) throw broken('no answer at 100%');
			if (str(q.usecase).trim() === '1')
				notes.push('answers are now matched without regard to case (the file asked for case)');
			const wildcard = answers.find(isWildcard);
			return {
				...base,
				type: 'text',
				accept: accepted.map(plain),
				feedback: wildcard && feedbackOf(wildcard)
			};
		}
		case 'numerical': {
			const full = answers.filter((a) => fraction(a) === 100 && !isWildcard(a));
			if (answers.some((a) => !full.includes(a) && !isWildcard(a)))
				throw skip('numeric answers with partial credit cannot be represented');
			if (full.length !== 1)
				throw skip('numeric questions with several correct answers cannot be represented');
			const units = list((q.units as Node | undefined)?.unit);
			const unit = units.find((u) => Number(str(u.multiplier) || '1') === 1);
			if (units.length > 1) notes.push('only the unit with multiplier 1 was kept');
			const wildcard = answers.find(isWildcard);
			return {
				...base,
				type: 'numeric',
				...numericValue(full[0]!),
				...(unit && str(unit.unit_name).trim() ? { unit: str(unit.unit_name).trim() } : {}),
				feedback: wildcard && feedbackOf(wildcard)
			};
		}
		case 'matching': {
			const subs = list(q.subquestion);
			if (subs.some((s) => !plain(s)))
				throw skip('matching answers with no question (extra wrong answers) cannot be represented');
			const used = new Set<string>();
			const pairs = subs.map((s) => {
				const left = plain(s);
				return { id: uniqueId(left, used, 'pair'), left, right: plain(list(s.answer)[0]) };
			});
			return {
				...base,
				type: 'matching',
				pairs,
				feedback: plain(q.incorrectfeedback) || undefined
			};
		}
		case 'ordering': {
			const ranked = answers.map((a, i) => ({ a, i, rank: Number(str(a['@fraction'])) }));
			const byRank =
				ranked.every((r) => Number.isFinite(r.rank)) &&
				new Set(ranked.map((r) => r.rank)).size === ranked.length;
			if (byRank) ranked.sort((x, y) => x.rank - y.rank);
			const used = new Set<string>();
			return {
				...base,
				type: 'ordering',
				items: ranked.map(({ a }) => ({ id: uniqueId(plain(a), used, 'step'), text: plain(a) })),
				feedback: plain(q.incorrectfeedback) || undefined
			};
		}
		default:
			if (NOT_REPRESENTABLE[type]) throw skip(NOT_REPRESENTABLE[type]);
			throw broken(`unknown question type "${type}"`);
	}
}

/** Base64 <file>s of the question text, as image files with names unique in the bank. */
function imagesOf(
	q: Node,
	taken: Set<string>,
	notes: string[]
): { images: BankImage[]; names: Map<string, string> } {
	const images: BankImage[] = [];
	const names = new Map<string, string>();
	const files = list((q.questiontext as Node | undefined)?.file);
	for (const f of files) {
		const original = str(f['@name']);
		if (str(f['@encoding']).toLowerCase() !== 'base64') {
			notes.push(`the file "${original}" is not base64 and was left out`);
			continue;
		}
		const name = safeImageName(original, taken);
		if (!name) {
			notes.push(
				`the file "${original}" is not an image we show (png, jpg, gif, webp, svg) and was left out`
			);
			continue;
		}
		images.push({ name, data: Buffer.from(str(f).replace(/\s+/g, ''), 'base64') });
		names.set(original, name);
	}
	return { images, names };
}

/** Reads a Moodle XML file's text; every question we take or leave is accounted for. */
export function parseMoodleXml(source: string): Bank {
	const bank: Bank = { questions: [], reports: [] };
	const valid = XMLValidator.validate(source);
	if (valid !== true) {
		bank.reports.push({
			line: valid.err.line,
			kind: 'error',
			message: `not well-formed XML: ${valid.err.msg}`
		});
		return bank;
	}
	const doc = parser.parse(source) as Node;
	const quiz = doc.quiz as Node | undefined;
	if (!quiz || typeof quiz !== 'object') {
		bank.reports.push({
			line: 1,
			kind: 'error',
			message: 'not Moodle XML: there is no <quiz> element'
		});
		return bank;
	}
	const lines = questionLines(source);
	const ids = new Set<string>();
	const imageNames = new Set<string>();
	let category: string | undefined;
	list(quiz.question).forEach((q, index) => {
		const line = lines[index] ?? 1;
		const type = str(q['@type']);
		if (type === 'category') {
			category = categoryName(plain(q.category ?? ''));
			return;
		}
		const notes: string[] = [];
		try {
			if (!type) throw broken('a <question> with no type attribute');
			const { images, names } = NOT_REPRESENTABLE[type]
				? { images: [], names: new Map() }
				: imagesOf(q, imageNames, notes);
			const points = Number(str(q.defaultgrade) || '1');
			const base: Draft = {
				type: 'single',
				prompt: prompt(q.questiontext, names),
				explanation: plain(q.generalfeedback) || undefined,
				...(Number.isFinite(points) && points > 0 && points !== 1 ? { points } : {})
			};
			const draft = readDraft(type, q, base, notes);
			if (!draft.prompt) throw broken('the question has no text');
			const idnumber = str(q.idnumber).trim();
			const id =
				/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(idnumber) && !ids.has(idnumber) ? idnumber : undefined;
			if (id) ids.add(id);
			const tags = list((q.tags as Node | undefined)?.tag)
				.map((t) => str(t.text).trim())
				.filter((t) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(t));
			const question = finishQuestion({
				...draft,
				id: id ?? uniqueId(plain(q.name) || htmlToText(draft.prompt), ids, 'question'),
				...(tags.length ? { tags } : {})
			});
			bank.questions.push({ line, category, question, images });
			for (const note of notes) bank.reports.push({ line, kind: 'note', message: note });
		} catch (e) {
			if (!(e instanceof QuestionProblem)) throw e;
			bank.reports.push({ line: e.line ?? line, kind: e.kind, message: e.message });
		}
	});
	return bank;
}
