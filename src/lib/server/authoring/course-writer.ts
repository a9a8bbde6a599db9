// Writes imported questions as course files: a quiz.yaml per module (and the images beside
// it), and course.yaml naming the modules. Into an existing course folder the modules are
// added, keeping course.yaml's comments; a module that already has a quiz is refused.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import type { QuestionFile } from '../../content/schema';
import { slugify } from '../content/markdown';
import type { BankQuestion } from './question-bank';

export class WriteRefused extends Error {}

export interface ImportedModule {
	id: string;
	title: string;
	questions: BankQuestion[];
}

/** Groups questions into modules: all into `moduleId` when given, else one per category. */
export function modulesOf(questions: BankQuestion[], moduleId?: string): ImportedModule[] {
	const modules = new Map<string, ImportedModule>();
	for (const q of questions) {
		const title = moduleId ? titleOf(moduleId) : (q.category ?? 'Imported questions');
		const id = moduleId ?? (slugify(title).slice(0, 60).replace(/-+$/, '') || 'questions');
		let m = modules.get(id);
		if (!m) modules.set(id, (m = { id, title, questions: [] }));
		m.questions.push(q);
	}
	// Question ids are unique within a quiz: two categories merged by --module may repeat one.
	for (const m of modules.values()) {
		const used = new Set<string>();
		for (const q of m.questions) {
			let id = q.question.id;
			for (let n = 2; used.has(id); n++) id = `${q.question.id}-${n}`;
			used.add(id);
			q.question = { ...q.question, id };
		}
	}
	return [...modules.values()];
}

const titleOf = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');

/** A question as an author would write it: the defaults left out. */
export function compactQuestion(q: QuestionFile): Record<string, unknown> {
	const out: Record<string, unknown> = { id: q.id, type: q.type };
	if (q.lesson) out.lesson = q.lesson;
	if (q.points !== 1) out.points = q.points;
	if (q.tags?.length) out.tags = q.tags;
	out.prompt = q.prompt;
	out.explanation = q.explanation;
	if (q.allow) out.allow = q.allow;
	switch (q.type) {
		case 'single':
		case 'multiple':
			if (q.type === 'multiple' && q.scoring !== 'all-or-nothing') out.scoring = q.scoring;
			out.options = q.options.map((o) => ({
				id: o.id,
				text: o.text,
				...(o.correct ? { correct: true } : {}),
				...(o.feedback ? { feedback: o.feedback } : {}),
				...(o.pinned ? { pinned: true } : {})
			}));
			break;
		case 'truefalse':
			out.answer = q.answer;
			out.feedback = q.feedback;
			break;
		case 'ordering':
			out.items = q.items;
			out.feedback = q.feedback;
			break;
		case 'matching':
			out.pairs = q.pairs;
			out.feedback = q.feedback;
			break;
		case 'numeric':
			out.answer = q.answer;
			if (q.tolerance) out.tolerance = q.tolerance;
			if (q.unit) out.unit = q.unit;
			out.feedback = q.feedback;
			break;
		case 'text':
			out.accept = q.accept;
			if (!q.foldAccents) out.foldAccents = false;
			out.feedback = q.feedback;
			break;
	}
	return out;
}

const yamlText = (value: unknown) => stringify(value, { lineWidth: 100 });

/**
 * Writes the modules into `dir` (created when missing) as the course `courseId`. Returns the
 * files written, relative to `dir`.
 */
export function writeImportedCourse(
	dir: string,
	courseId: string,
	modules: ImportedModule[],
	sourceName: string
): string[] {
	const written: string[] = [];
	const courseFile = path.join(dir, 'course.yaml');
	const existing = fs.existsSync(courseFile);
	const doc = existing
		? parseDocument(fs.readFileSync(courseFile, 'utf8'))
		: parseDocument(
				`# Imported from ${path.basename(sourceName)} by npm run import: a quiz-only course until\n` +
					`# lessons are added (docs/authoring.md).\n` +
					yamlText({
						id: courseId,
						title: titleOf(courseId),
						summary: `Questions imported from ${path.basename(sourceName)}.`,
						estimatedMinutes: Math.max(
							5,
							modules.reduce((n, m) => n + m.questions.length, 0)
						),
						version: 1,
						published: true,
						certificate: false,
						modules: []
					})
			);
	if (doc.errors.length) throw new WriteRefused(`${courseFile}: ${doc.errors[0]!.message}`);
	if (existing && doc.get('id') !== courseId)
		throw new WriteRefused(
			`${courseFile} is the course "${String(doc.get('id'))}", not "${courseId}"; give --out another folder.`
		);
	const list = doc.get('modules', true);
	if (!isSeq(list)) throw new WriteRefused(`${courseFile}: "modules" is not a list.`);
	list.flow = false;
	const known = new Map<string, string>();
	for (const item of list.items)
		if (isMap(item)) known.set(String(item.get('id')), String(item.get('folder')));

	// Check everything before writing anything: a refusal leaves the folder as it was.
	const plan = modules.map((m, i) => {
		const folder =
			known.get(m.id) ?? `${String(list.items.length + i + 1).padStart(2, '0')}-${m.id}`;
		const quizFile = path.join(dir, folder, 'quiz.yaml');
		if (fs.existsSync(quizFile))
			throw new WriteRefused(
				`Module "${m.id}" already has ${path.join(folder, 'quiz.yaml')}; import with --module <another id>.`
			);
		return { module: m, folder, quizFile, isNew: !known.has(m.id) };
	});
	for (const { module: m, folder, quizFile, isNew } of plan) {
		fs.mkdirSync(path.dirname(quizFile), { recursive: true });
		const images = new Set<string>();
		for (const q of m.questions)
			for (const image of q.images) {
				if (images.has(image.name)) continue;
				images.add(image.name);
				fs.writeFileSync(path.join(dir, folder, image.name), image.data);
				written.push(path.join(folder, image.name));
			}
		const quiz = {
			id: `${m.id}-quiz`,
			title: `${m.title} quiz`,
			questions: m.questions.map((q) => compactQuestion(q.question))
		};
		fs.writeFileSync(
			quizFile,
			`# Imported from ${path.basename(sourceName)}: no question has a lesson yet.\n${yamlText(quiz)}`
		);
		written.push(path.join(folder, 'quiz.yaml'));
		if (isNew) list.add(doc.createNode({ id: m.id, title: m.title, folder }));
	}
	fs.writeFileSync(courseFile, doc.toString({ lineWidth: 100 }));
	written.push('course.yaml');
	return written;
}
