// The in-memory catalogue of compiled courses: loaded once at start, read by every page.
import type { Problem } from './load';
import { formatProblem, loadCourses } from './load';
import type { Course, Lesson, Module } from './types';
import type { Quiz } from '../../quiz/types';

let courses = new Map<string, Course>();
// Courses published from the browser (authoring/packages.ts), beside the files; a file course's
// id is never taken by one (the upload is refused).
let uploaded = new Map<string, Course>();

export function useUploadedCourses(list: Course[]): void {
	uploaded = new Map(list.filter((c) => !courses.has(c.id)).map((c) => [c.id, c]));
}

/** A course loaded from courses/ (not uploaded). */
export function isFileCourse(id: string): boolean {
	return courses.has(id);
}

/** Every course, published or not, files first: for the admin's course list. */
export function allCourses(): { course: Course; source: 'files' | 'uploaded' }[] {
	return [
		...[...courses.values()].map((course) => ({ course, source: 'files' as const })),
		...[...uploaded.values()].map((course) => ({ course, source: 'uploaded' as const }))
	];
}

export function loadCatalog(dirs: string[], log: (m: string) => void = console.log): Problem[] {
	const problems: Problem[] = [];
	const loaded = new Map<string, Course>();
	for (const dir of dirs) {
		const result = loadCourses(dir);
		problems.push(...result.problems);
		for (const c of result.courses) {
			if (loaded.has(c.id))
				problems.push({ file: c.dir, message: `Duplicate course id "${c.id}".` });
			else loaded.set(c.id, c);
		}
	}
	for (const p of problems) log(`Course problem (course skipped): ${formatProblem(p)}`);
	courses = loaded;
	log(`Loaded ${courses.size} course${courses.size === 1 ? '' : 's'} from ${dirs.join(', ')}`);
	return problems;
}

/** For tests: serve these courses. */
export function useCourses(list: Course[]): void {
	courses = new Map(list.map((c) => [c.id, c]));
}

export function publishedCourses(): Course[] {
	return [...courses.values(), ...uploaded.values()].filter((c) => c.published);
}

export function findCourse(id: string): Course | undefined {
	const course = courses.get(id) ?? uploaded.get(id);
	return course?.published ? course : undefined;
}

export function findLesson(
	course: Course,
	moduleId: string,
	lessonId: string
): { module: Module; lesson: Lesson; index: number } | undefined {
	const index = course.lessons.findIndex((l) => l.id === lessonId && l.moduleId === moduleId);
	if (index < 0) return undefined;
	const module = course.modules.find((m) => m.id === moduleId)!;
	return { module, lesson: course.lessons[index]!, index };
}

/** A module quiz or the final exam, with the URL it lives at. */
export function findQuiz(
	course: Course,
	quizId: string
): { quiz: Quiz; module?: Module } | undefined {
	if (course.finalExam?.id === quizId) return { quiz: course.finalExam };
	const module = course.modules.find((m) => m.quiz?.id === quizId);
	return module?.quiz ? { quiz: module.quiz, module } : undefined;
}
