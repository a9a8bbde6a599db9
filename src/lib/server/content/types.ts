// A course as held in memory after loading.
import type { CourseFile, LessonFrontMatter } from '../../content/schema';
import type { Question, Quiz } from '../../quiz/types';

/** A piece of a lesson page: sanitised HTML, or the place of an inline check. */
export type LessonSection = { kind: 'html'; html: string } | { kind: 'check'; id: string };

export interface Lesson extends LessonFrontMatter {
	moduleId: string;
	url: string;
	/** The whole text without its checks. */
	html: string;
	/** The text in order, with the inline checks where they stand. */
	sections: LessonSection[];
	/** Inline knowledge checks (ungraded; see docs/course-format.md), keys included: server only. */
	checks: Question[];
	/** File line of each check's fence, by check id, for messages to authors. */
	checkLines: Record<string, number>;
	/** Hash of the lesson file: the content version progress is recorded against. */
	version: string;
	file: string;
}

export interface Module {
	id: string;
	title: string;
	lessons: Lesson[];
	quiz?: Quiz;
}

export interface Course extends Pick<
	CourseFile,
	| 'id'
	| 'title'
	| 'summary'
	| 'audience'
	| 'cover'
	| 'estimatedMinutes'
	| 'version'
	| 'published'
	| 'certificate'
	| 'completion'
> {
	dir: string;
	modules: Module[];
	/** Every lesson in course order. */
	lessons: Lesson[];
	finalExam?: Quiz;
}
