// Loads, validates and compiles the courses under courses/: every problem is reported with its
// file and, where possible, its line. A course with problems is left out; the others load.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
	courseFileSchema,
	inlineCheckSchema,
	lessonFrontMatterSchema,
	quizFileSchema,
	type CourseFile
} from '../../content/schema';
import type { Question, Quiz } from '../../quiz/types';
import { imageSize } from './image-size';
import { renderLessonParts, renderPrompt, type ResolvedImage } from './markdown';
import type { Course, Lesson, LessonSection, Module } from './types';
import { lessonUrl, mediaUrl } from '../../routes';

export interface Problem {
	file: string;
	line?: number;
	message: string;
}

const IMAGE_TYPES: Record<string, string> = {
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif'
};
export const imageContentType = (file: string) => IMAGE_TYPES[path.extname(file).toLowerCase()];

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** decodeURIComponent that returns null instead of throwing on a malformed escape. */
const decodePath = (s: string): string | null => {
	try {
		return decodeURIComponent(s);
	} catch {
		return null;
	}
};

class ProblemList {
	items: Problem[] = [];
	constructor(private root: string) {}
	add(file: string, message: string, line?: number) {
		this.items.push({ file: path.relative(this.root, file) || file, message, line });
	}
}

/** Parses YAML and validates it, mapping each schema issue to its line in the file. */
function readYaml<S extends z.ZodType>(
	file: string,
	source: string,
	schema: S,
	problems: ProblemList,
	lineOffset = 0
): z.infer<S> | undefined {
	const lineCounter = new LineCounter();
	const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
	if (doc.errors.length) {
		// With prettyErrors off, linePos is not filled in: derive the line from the offset.
		for (const e of doc.errors)
			problems.add(
				file,
				e.message.split('\n')[0]!,
				(e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line) + lineOffset
			);
		return undefined;
	}
	const parsed = schema.safeParse(doc.toJS());
	if (parsed.success) return parsed.data;
	for (const issue of parsed.error.issues) {
		const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
		let message = issue.message;
		let keyPath = issue.path as (string | number)[];
		if (issue.code === 'unrecognized_keys') {
			message = `Unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
			keyPath = [...keyPath, issue.keys[0]!];
		}
		const line = lineOf(doc, lineCounter, keyPath);
		problems.add(file, `${where}${message}`, line === undefined ? undefined : line + lineOffset);
	}
	return undefined;
}

function lineOf(
	doc: Document,
	counter: LineCounter,
	keyPath: (string | number)[]
): number | undefined {
	// Walk as deep as the path exists; report the key's line when the last step is a key.
	for (let depth = keyPath.length; depth >= 0; depth--) {
		const parentPath = keyPath.slice(0, depth - 1);
		const last = keyPath[depth - 1];
		const parent = depth === 0 ? doc.contents : doc.getIn(parentPath, true);
		if (depth > 0 && isMap(parent)) {
			const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
			const start = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0];
			if (start !== undefined) return counter.linePos(start).line;
		}
		const node = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true);
		const range = (node as { range?: [number, number] } | null)?.range;
		if (range) return counter.linePos(range[0]).line;
	}
	return undefined;
}

function splitFrontMatter(source: string): { yaml: string; body: string; bodyLine: number } | null {
	const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
	if (!match) return null;
	return {
		yaml: match[1]!,
		body: source.slice(match[0].length),
		bodyLine: match[0].split('\n').length
	};
}

/** The line of each question (by id) and of each option ("question.option") in a quiz file. */
function quizLines(source: string): Record<string, number> {
	const counter = new LineCounter();
	const doc = parseDocument(source, { lineCounter: counter });
	const lines: Record<string, number> = {};
	const questions = doc.get('questions', true);
	if (!isSeq(questions)) return lines;
	for (const q of questions.items) {
		if (!isMap(q) || !q.range) continue;
		const qid = String(q.get('id'));
		lines[qid] = counter.linePos(q.range[0]).line;
		const options = q.get('options', true);
		if (!isSeq(options)) continue;
		for (const o of options.items)
			if (isMap(o) && o.range)
				lines[`${qid}.${String(o.get('id'))}`] = counter.linePos(o.range[0]).line;
	}
	return lines;
}

/**
 * Images in question prompts: files beside the quiz inside the course folder (an imported
 * question bank writes them there), served as course media.
 */
function promptImages(
	courseDir: string,
	courseId: string,
	quizFile: string,
	problems: ProblemList
) {
	return (src: string, alt: string) => {
		const decoded = decodePath(src);
		const resolved = decoded === null ? '' : path.resolve(path.dirname(quizFile), decoded);
		const relative = path.relative(courseDir, resolved);
		if (!alt.trim()) problems.add(quizFile, `Image "${src}" needs alt text.`);
		if (
			/^[a-z]+:/i.test(src) ||
			decoded === null ||
			relative.startsWith('..') ||
			path.isAbsolute(relative) ||
			!fs.existsSync(resolved) ||
			!imageContentType(resolved)
		) {
			problems.add(quizFile, `Missing or unsupported image "${src}" (put it beside the quiz).`);
			return null;
		}
		return { url: mediaUrl(courseId, relative.split(path.sep).join('/')), ...imageSize(resolved) };
	};
}

function loadQuiz(
	file: string,
	problems: ProblemList,
	lessonIds: Set<string>,
	scope: string,
	image?: (src: string, alt: string) => ResolvedImage | null
): Quiz | undefined {
	const source = fs.readFileSync(file, 'utf8');
	const quiz = readYaml(file, source, quizFileSchema, problems);
	if (!quiz) return undefined;
	let ok = true;
	for (const q of quiz.questions) {
		if (q.lesson !== undefined && !lessonIds.has(q.lesson)) {
			problems.add(file, `Question "${q.id}" reviews lesson "${q.lesson}", which is not ${scope}.`);
			ok = false;
		}
	}
	if (!ok) return undefined;
	return {
		id: quiz.id,
		title: quiz.title,
		settings: quiz.settings,
		version: hash(source),
		file,
		lines: quizLines(source),
		questions: quiz.questions.map((q) => ({ ...q, promptHtml: renderPrompt(q.prompt, image) }))
	};
}

/** A lesson's text with its inline checks parsed and validated like quiz questions. */
function lessonBody(
	d: { file: string; body: string; bodyLine: number; meta: { id: string } },
	resolver: Parameters<typeof renderLessonParts>[1],
	problems: ProblemList,
	checkIds: Set<string>
): { sections: LessonSection[]; checks: Question[]; checkLines: Record<string, number> } {
	const parts = renderLessonParts(d.body, resolver, () =>
		problems.add(
			d.file,
			'An inline check (```check) must stand on its own, not inside a list or a quote.'
		)
	);
	const sections: LessonSection[] = [];
	const checks: Question[] = [];
	const checkLines: Record<string, number> = {};
	for (const part of parts) {
		if (part.kind === 'html') {
			sections.push(part);
			continue;
		}
		const fenceLine = d.bodyLine + part.line - 1;
		const check = readYaml(d.file, part.yaml, inlineCheckSchema(d.meta.id), problems, fenceLine);
		if (!check) continue;
		if (checkIds.has(check.id)) {
			problems.add(d.file, `Duplicate inline check id "${check.id}" in this course.`, fenceLine);
			continue;
		}
		checkIds.add(check.id);
		checks.push({ ...check, promptHtml: renderPrompt(check.prompt) });
		checkLines[check.id] = fenceLine;
		sections.push({ kind: 'check', id: check.id });
	}
	return { sections, checks, checkLines };
}

export function loadCourse(
	courseDir: string,
	root = path.dirname(courseDir)
): {
	course?: Course;
	problems: Problem[];
} {
	const problems = new ProblemList(root);
	const courseFile = path.join(courseDir, 'course.yaml');
	if (!fs.existsSync(courseFile)) {
		problems.add(courseFile, 'Missing course.yaml.');
		return { problems: problems.items };
	}
	const meta: CourseFile | undefined = readYaml(
		courseFile,
		fs.readFileSync(courseFile, 'utf8'),
		courseFileSchema,
		problems
	);
	if (!meta) return { problems: problems.items };

	// First pass: read every lesson's front matter so links can be resolved in the second.
	interface Draft {
		file: string;
		module: CourseFile['modules'][number];
		meta: z.infer<typeof lessonFrontMatterSchema>;
		body: string;
		source: string;
		/** The file line of the front matter's id key. */
		idLine: number;
		/** The file line the body starts on. */
		bodyLine: number;
	}
	const drafts: Draft[] = [];
	const moduleIds = new Set<string>();
	for (const mod of meta.modules) {
		if (moduleIds.has(mod.id)) problems.add(courseFile, `Duplicate module id "${mod.id}".`);
		moduleIds.add(mod.id);
		const dir = path.join(courseDir, mod.folder);
		if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
			problems.add(courseFile, `Module "${mod.id}": folder ${mod.folder}/ does not exist.`);
			continue;
		}
		const lessonFiles = fs
			.readdirSync(dir)
			.filter((f) => f.endsWith('.md'))
			.sort();
		// A quiz-only module (a question bank imported from Moodle) is fine; an empty one is not.
		if (!lessonFiles.length && !fs.existsSync(path.join(dir, 'quiz.yaml')))
			problems.add(dir, `Module "${mod.id}" has no lessons (*.md files) and no quiz.yaml.`);
		for (const name of lessonFiles) {
			const file = path.join(dir, name);
			const source = fs.readFileSync(file, 'utf8');
			const parts = splitFrontMatter(source);
			if (!parts) {
				problems.add(
					file,
					'Missing front matter (a --- block with id, title, minutes, objectives, sources).',
					1
				);
				continue;
			}
			const fm = readYaml(file, parts.yaml, lessonFrontMatterSchema, problems, 1);
			const idIndex = parts.yaml.split(/\r?\n/).findIndex((l) => /^id\s*:/.test(l));
			if (fm)
				drafts.push({
					file,
					module: mod,
					meta: fm,
					body: parts.body,
					source,
					idLine: idIndex < 0 ? 2 : idIndex + 2,
					bodyLine: parts.bodyLine
				});
		}
	}
	const byFile = new Map(drafts.map((d) => [d.file, d]));
	const lessonIds = new Set<string>();
	for (const d of drafts) {
		if (lessonIds.has(d.meta.id))
			problems.add(d.file, `Duplicate lesson id "${d.meta.id}".`, d.idLine);
		lessonIds.add(d.meta.id);
	}
	const urlOf = (d: Draft) => lessonUrl(meta.id, d.module.id, d.meta.id);

	const modules: Module[] = [];
	const lessons: Lesson[] = [];
	/** Check ids in the course so far: a check's id is its identity in spaced review. */
	const checkIds = new Set<string>();
	for (const mod of meta.modules) {
		const dir = path.join(courseDir, mod.folder);
		if (!fs.existsSync(dir)) continue;
		const moduleLessons: Lesson[] = [];
		for (const d of drafts.filter((x) => x.module === mod)) {
			const resolver = {
				link: (href: string) => {
					if (/^(https?:|mailto:|#)/i.test(href)) return href;
					const [target, anchor] = href.split('#');
					const decoded = decodePath(target!);
					const resolved = decoded === null ? '' : path.resolve(path.dirname(d.file), decoded);
					const other = byFile.get(resolved);
					if (!other) {
						problems.add(d.file, `Broken link to "${href}": no lesson at that path.`);
						return null;
					}
					return urlOf(other) + (anchor ? `#${anchor}` : '');
				},
				image: (src: string, alt: string) => {
					if (!alt.trim()) problems.add(d.file, `Image "${src}" needs alt text.`);
					if (/^[a-z]+:/i.test(src)) {
						problems.add(d.file, `Image "${src}" must be a file in the course folder.`);
						return null;
					}
					const decoded = decodePath(src);
					const resolved = decoded === null ? '' : path.resolve(path.dirname(d.file), decoded);
					const relative = path.relative(courseDir, resolved);
					if (
						decoded === null ||
						relative.startsWith('..') ||
						!fs.existsSync(resolved) ||
						!imageContentType(resolved)
					) {
						problems.add(d.file, `Missing or unsupported image "${src}".`);
						return null;
					}
					const url = mediaUrl(meta.id, relative.split(path.sep).join('/'));
					return { url, ...imageSize(resolved) };
				}
			};
			const { sections, checks, checkLines } = lessonBody(d, resolver, problems, checkIds);
			const lesson: Lesson = {
				...d.meta,
				moduleId: mod.id,
				url: urlOf(d),
				html: sections.map((s) => (s.kind === 'html' ? s.html : '')).join(''),
				sections,
				checks,
				checkLines,
				version: hash(d.source),
				file: path.relative(root, d.file)
			};
			moduleLessons.push(lesson);
			lessons.push(lesson);
		}
		const quizFile = path.join(dir, 'quiz.yaml');
		const moduleLessonIds = new Set(moduleLessons.map((l) => l.id));
		const quiz = fs.existsSync(quizFile)
			? loadQuiz(
					quizFile,
					problems,
					moduleLessonIds,
					`in module "${mod.id}"`,
					promptImages(courseDir, meta.id, quizFile, problems)
				)
			: undefined;
		modules.push({ id: mod.id, title: mod.title, lessons: moduleLessons, quiz });
	}

	let finalExam: Quiz | undefined;
	if (meta.finalExam) {
		const file = path.join(courseDir, meta.finalExam);
		if (!fs.existsSync(file))
			problems.add(courseFile, `finalExam: ${meta.finalExam} does not exist.`);
		else
			finalExam = loadQuiz(
				file,
				problems,
				lessonIds,
				'in this course',
				promptImages(courseDir, meta.id, file, problems)
			);
	}
	const quizIds = [
		...modules.flatMap((m) => (m.quiz ? [m.quiz.id] : [])),
		...(finalExam ? [finalExam.id] : [])
	];
	if (new Set(quizIds).size !== quizIds.length)
		problems.add(courseFile, 'Two quizzes share one id.');
	if (meta.cover && !fs.existsSync(path.join(courseDir, meta.cover)))
		problems.add(courseFile, `The cover image ${meta.cover} is not in the course folder.`);

	if (problems.items.length) return { problems: problems.items };
	return {
		course: {
			id: meta.id,
			title: meta.title,
			summary: meta.summary,
			audience: meta.audience,
			cover: meta.cover,
			estimatedMinutes: meta.estimatedMinutes,
			version: meta.version,
			published: meta.published,
			certificate: meta.certificate,
			completion: meta.completion,
			dir: courseDir,
			modules,
			lessons,
			finalExam
		},
		problems: []
	};
}

/** Every course folder under root (a folder with course.yaml, or any folder at all). */
export function loadCourses(root: string): { courses: Course[]; problems: Problem[] } {
	const courses: Course[] = [];
	const problems: Problem[] = [];
	if (!fs.existsSync(root))
		return { courses, problems: [{ file: root, message: 'The courses folder does not exist.' }] };
	const ids = new Set<string>();
	for (const entry of fs
		.readdirSync(root, { withFileTypes: true })
		.sort((a, b) => a.name.localeCompare(b.name))) {
		if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
		const result = loadCourse(path.join(root, entry.name), root);
		problems.push(...result.problems);
		if (result.course) {
			if (ids.has(result.course.id)) {
				problems.push({
					file: path.join(entry.name, 'course.yaml'),
					message: `Duplicate course id "${result.course.id}".`
				});
				continue;
			}
			ids.add(result.course.id);
			courses.push(result.course);
		}
	}
	return { courses, problems };
}

export function formatProblem(p: Problem): string {
	return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}
