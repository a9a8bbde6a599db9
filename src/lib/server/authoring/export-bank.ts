// A course's quizzes written as a GIFT or Moodle XML question bank, so a course can move to
// Moodle. One category per quiz (course title / module title). What the target format cannot
// hold is reported against the question's file and line: a type (ordering in GIFT) is skipped,
// a field (points in GIFT, a unit in GIFT…) is noted as left out.
import fs from 'node:fs';
import path from 'node:path';
import type { Quiz } from '../../quiz/types';
import type { QuestionFile } from '../../content/schema';
import { courseQuizzes } from '../content/authoring-hints';
import type { Course } from '../content/types';

export interface ExportReport {
	file: string;
	line?: number;
	kind: 'skipped' | 'note';
	message: string;
}

export interface ExportResult {
	text: string;
	exported: number;
	reports: ExportReport[];
}

const quizCategory = (course: Course, quiz: Quiz) => {
	const module = course.modules.find((m) => m.quiz === quiz);
	return `$course$/top/${course.title}/${module ? module.title : 'Final exam'}`;
};

/** Up to five decimals, as Moodle writes fractions ("33.33333"). */
const percent = (n: number) => String(Number(n.toFixed(5)));

function reporter(course: Course, quiz: Quiz, reports: ExportReport[]) {
	return (q: QuestionFile, kind: ExportReport['kind'], message: string) =>
		reports.push({
			file: quiz.file ?? course.dir,
			line: quiz.lines?.[q.id],
			kind,
			message: `${q.id}: ${message}`
		});
}

// GIFT's special characters, escaped with a backslash; new lines as \n, since a blank line ends
// a question.
const giftEscape = (s: string) =>
	s.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

function giftAnswers(q: QuestionFile, note: (m: string) => void): string | null {
	const fb = (f?: string) => (f ? `#${giftEscape(f)}` : '');
	switch (q.type) {
		case 'single':
			return q.options
				.map((o) => `\t${o.correct ? '=' : '~'}${giftEscape(o.text)}${fb(o.feedback)}`)
				.join('\n');
		case 'multiple': {
			if (q.scoring === 'all-or-nothing')
				note('all-or-nothing scoring written as partial credit (GIFT has no all-or-nothing)');
			const share = 100 / q.options.filter((o) => o.correct).length;
			return q.options
				.map(
					(o) => `\t~%${percent(o.correct ? share : -share)}%${giftEscape(o.text)}${fb(o.feedback)}`
				)
				.join('\n');
		}
		case 'truefalse':
			return `\t${q.answer ? 'TRUE' : 'FALSE'}${fb(q.feedback)}`;
		case 'numeric':
			if (q.unit) note(`the unit "${q.unit}" left out (GIFT numeric answers have no unit)`);
			return `\t#=${q.answer}:${q.tolerance}\n\t=%0%*${fb(q.feedback)}`;
		case 'text':
			if (!q.foldAccents) note('foldAccents: false left out (Moodle short answers ignore it)');
			return [...q.accept.map((a) => `\t=${giftEscape(a)}`), `\t=%0%*${fb(q.feedback)}`].join('\n');
		case 'matching':
			note('the feedback left out (GIFT matching questions have none)');
			return q.pairs.map((p) => `\t=${giftEscape(p.left)} -> ${giftEscape(p.right)}`).join('\n');
		case 'ordering':
			return null;
	}
}

export function exportGift(course: Course): ExportResult {
	const reports: ExportReport[] = [];
	const out: string[] = [
		`// ${course.title} (${course.id}, version ${course.version}), exported by npm run export.`
	];
	let exported = 0;
	for (const quiz of courseQuizzes(course)) {
		const report = reporter(course, quiz, reports);
		out.push('', `$CATEGORY: ${quizCategory(course, quiz)}`);
		for (const q of quiz.questions) {
			const note = (m: string) => report(q, 'note', m);
			const answers = giftAnswers(q, note);
			if (answers === null) {
				report(q, 'skipped', `GIFT has no ${q.type} questions`);
				continue;
			}
			if (q.points !== 1) note(`points: ${q.points} left out (GIFT has no points)`);
			if (q.lesson) note('the lesson link left out (question banks have no lessons)');
			if (/!\[[^\]]*\]\(/.test(q.prompt))
				note('an image in the prompt left out (GIFT carries no files)');
			if ('options' in q && q.options.some((o) => o.pinned))
				note('pinned options left out (GIFT has no pinning)');
			const tags = (q.tags ?? []).map((t) => ` [tag:${t}]`).join('');
			out.push(
				'',
				`// [id:${q.id}]${tags}`,
				`::${giftEscape(q.id)}::[markdown]${giftEscape(q.prompt)} {`,
				answers,
				`\t####${giftEscape(q.explanation)}`,
				'}'
			);
			exported++;
		}
	}
	return { text: `${out.join('\n')}\n`, exported, reports };
}

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const xmlText = (s: string) => `<text>${cdata(s)}</text>`;
const element = (name: string, s: string, format: string) =>
	`<${name} format="${format}">${xmlText(s)}</${name}>`;
const xmlAttr = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function xmlAnswers(q: QuestionFile, note: (m: string) => void): { type: string; body: string[] } {
	const answer = (fraction: number, text: string, feedback?: string, extra = '') =>
		`<answer fraction="${percent(fraction)}" format="plain_text">${xmlText(text)}${extra}${
			feedback ? element('feedback', feedback, 'plain_text') : ''
		}</answer>`;
	switch (q.type) {
		case 'single':
			return {
				type: 'multichoice',
				body: [
					'<single>true</single>',
					'<shuffleanswers>false</shuffleanswers>',
					...q.options.map((o) => answer(o.correct ? 100 : 0, o.text, o.feedback))
				]
			};
		case 'multiple': {
			if (q.scoring === 'all-or-nothing')
				return {
					type: 'multichoiceset',
					body: [
						'<shuffleanswers>false</shuffleanswers>',
						...q.options.map((o) => answer(o.correct ? 100 : 0, o.text, o.feedback))
					]
				};
			const share = 100 / q.options.filter((o) => o.correct).length;
			return {
				type: 'multichoice',
				body: [
					'<single>false</single>',
					'<shuffleanswers>false</shuffleanswers>',
					...q.options.map((o) => answer(o.correct ? share : -share, o.text, o.feedback))
				]
			};
		}
		case 'truefalse':
			return {
				type: 'truefalse',
				body: [
					answer(q.answer ? 100 : 0, 'true', q.answer ? undefined : q.feedback),
					answer(q.answer ? 0 : 100, 'false', q.answer ? q.feedback : undefined)
				]
			};
		case 'numeric':
			return {
				type: 'numerical',
				body: [
					answer(100, String(q.answer), undefined, `<tolerance>${q.tolerance}</tolerance>`),
					answer(0, '*', q.feedback, '<tolerance>0</tolerance>'),
					...(q.unit
						? [
								`<units><unit><multiplier>1</multiplier><unit_name>${xmlAttr(q.unit)}</unit_name></unit></units>`
							]
						: [])
				]
			};
		case 'text':
			if (!q.foldAccents) note('foldAccents: false left out (Moodle short answers ignore it)');
			return {
				type: 'shortanswer',
				body: [
					'<usecase>0</usecase>',
					...q.accept.map((a) => answer(100, a)),
					answer(0, '*', q.feedback)
				]
			};
		case 'matching':
			return {
				type: 'matching',
				body: [
					'<shuffleanswers>true</shuffleanswers>',
					...q.pairs.map(
						(p) =>
							`<subquestion format="plain_text">${xmlText(p.left)}<answer>${xmlText(p.right)}</answer></subquestion>`
					),
					element('incorrectfeedback', q.feedback, 'plain_text')
				]
			};
		case 'ordering':
			return {
				type: 'ordering',
				body: [
					...q.items.map((item, i) => answer(i + 1, item.text)),
					element('incorrectfeedback', q.feedback, 'plain_text')
				]
			};
	}
}

/** Images the prompt shows from beside the quiz, embedded as Moodle does (@@PLUGINFILE@@). */
function embedImages(
	prompt: string,
	quizFile: string | undefined
): { text: string; files: string[] } {
	const files: string[] = [];
	if (!quizFile) return { text: prompt, files };
	const text = prompt.replace(/(!\[[^\]]*\]\()([^)\s]+)\)/g, (whole, head: string, src: string) => {
		const file = path.resolve(path.dirname(quizFile), decodeURIComponent(src));
		if (/^[a-z]+:/i.test(src) || !fs.existsSync(file)) return whole;
		const name = path.basename(file);
		files.push(
			`<file name="${xmlAttr(name)}" path="/" encoding="base64">${fs.readFileSync(file).toString('base64')}</file>`
		);
		return `${head}@@PLUGINFILE@@/${encodeURIComponent(name)})`;
	});
	return { text, files };
}

export function exportMoodleXml(course: Course): ExportResult {
	const reports: ExportReport[] = [];
	const out: string[] = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<!-- ${xmlAttr(course.title)} (${course.id}, version ${course.version}), exported by npm run export. -->`,
		'<quiz>'
	];
	let exported = 0;
	for (const quiz of courseQuizzes(course)) {
		const report = reporter(course, quiz, reports);
		out.push(
			`  <question type="category"><category>${xmlText(quizCategory(course, quiz))}</category></question>`
		);
		for (const q of quiz.questions) {
			const note = (m: string) => report(q, 'note', m);
			const { type, body } = xmlAnswers(q, note);
			if (q.lesson) note('the lesson link left out (question banks have no lessons)');
			if ('options' in q && q.options.some((o) => o.pinned))
				note('pinned options left out (Moodle has no pinning)');
			const prompt = embedImages(q.prompt, quiz.file);
			const tags = q.tags?.length
				? [`<tags>${q.tags.map((t) => `<tag>${xmlText(t)}</tag>`).join('')}</tags>`]
				: [];
			out.push(
				`  <question type="${type}">`,
				...[
					`<name>${xmlText(q.id)}</name>`,
					`<questiontext format="markdown">${xmlText(prompt.text)}${prompt.files.join('')}</questiontext>`,
					element('generalfeedback', q.explanation, 'plain_text'),
					`<defaultgrade>${q.points}</defaultgrade>`,
					`<idnumber>${xmlAttr(q.id)}</idnumber>`,
					...body,
					...tags
				].map((l) => `    ${l}`),
				'  </question>'
			);
			exported++;
		}
	}
	out.push('</quiz>');
	return { text: `${out.join('\n')}\n`, exported, reports };
}

export const formatExportReport = (r: ExportReport, from = process.cwd()) =>
	`${path.relative(from, r.file) || r.file}${r.line ? `:${r.line}` : ''}: ${r.kind}: ${r.message}`;
