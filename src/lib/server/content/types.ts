// A course as held in memory after loading.
import type { CourseFile, LessonFrontMatter } from '../../content/schema';
import type { Quiz } from '../../quiz/types';

export interface Lesson extends LessonFrontMatter {
	moduleId: string;
	url: string;
	html: string;
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
