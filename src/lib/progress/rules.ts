// The progress rules, as a pure function of a course and a learner's records: a lesson is done
// when marked done; a module when all its lessons are done and its quiz passed; the course when
// every module and the final exam are done. The server computes this; clients never send it.
import { examUrl, quizUrl } from '../routes';

export interface ProgressCourse {
	id: string;
	modules: {
		id: string;
		title: string;
		lessons: { id: string; title: string; url: string; version: string }[];
		quiz?: { id: string; title: string };
	}[];
	finalExam?: { id: string; title: string };
}

export interface LearnerRecords {
	/** lesson id → the lesson version it was marked done against */
	lessonsDone: Map<string, string>;
	quizzesPassed: Set<string>;
}

export type ModuleState = 'not-started' | 'in-progress' | 'lessons-done' | 'done';

export interface LessonStatus {
	id: string;
	title: string;
	url: string;
	done: boolean;
	/** Done, but the lesson has changed since. */
	updatedSinceDone: boolean;
}

export interface QuizStatus {
	id: string;
	title: string;
	url: string;
	passed: boolean;
	/** Open once what it tests is done. */
	open: boolean;
}

export interface ModuleStatus {
	id: string;
	title: string;
	state: ModuleState;
	lessons: LessonStatus[];
	quiz?: QuizStatus;
}

export interface CourseProgress {
	modules: ModuleStatus[];
	finalExam?: QuizStatus;
	stepsDone: number;
	stepsTotal: number;
	percent: number;
	complete: boolean;
	/** Where "Start"/"Continue" leads: the first step not yet done. */
	next: { url: string; label: string } | null;
}

function moduleStatus(
	courseId: string,
	m: ProgressCourse['modules'][number],
	records: LearnerRecords
): ModuleStatus {
	const lessons = m.lessons.map((l) => {
		const doneVersion = records.lessonsDone.get(l.id);
		const done = doneVersion !== undefined;
		return {
			id: l.id,
			title: l.title,
			url: l.url,
			done,
			updatedSinceDone: done && doneVersion !== l.version
		};
	});
	const lessonsDone = lessons.every((l) => l.done);
	const quiz = m.quiz && {
		id: m.quiz.id,
		title: m.quiz.title,
		url: quizUrl(courseId, m.id),
		passed: records.quizzesPassed.has(m.quiz.id),
		open: lessonsDone
	};
	const anyDone = lessons.some((l) => l.done) || Boolean(quiz?.passed);
	const state: ModuleState =
		lessonsDone && (!quiz || quiz.passed)
			? 'done'
			: lessonsDone
				? 'lessons-done'
				: anyDone
					? 'in-progress'
					: 'not-started';
	return { id: m.id, title: m.title, state, lessons, quiz };
}

export function courseProgress(course: ProgressCourse, records: LearnerRecords): CourseProgress {
	const modules = course.modules.map((m) => moduleStatus(course.id, m, records));
	const modulesDone = modules.every((m) => m.state === 'done');
	const finalExam = course.finalExam && {
		id: course.finalExam.id,
		title: course.finalExam.title,
		url: examUrl(course.id),
		passed: records.quizzesPassed.has(course.finalExam.id),
		open: modulesDone
	};
	const steps = [
		...modules.flatMap((m) => [
			...m.lessons.map((l) => ({ done: l.done, url: l.url, label: l.title })),
			...(m.quiz ? [{ done: m.quiz.passed, url: m.quiz.url, label: m.quiz.title }] : [])
		]),
		...(finalExam ? [{ done: finalExam.passed, url: finalExam.url, label: finalExam.title }] : [])
	];
	const stepsDone = steps.filter((s) => s.done).length;
	const complete = modulesDone && (!finalExam || finalExam.passed);
	// The first step not done, in course order.
	const first = steps.find((s) => !s.done);
	return {
		modules,
		finalExam,
		stepsDone,
		stepsTotal: steps.length,
		percent: steps.length ? Math.floor((stepsDone / steps.length) * 100) : 0,
		complete,
		next: complete || !first ? null : { url: first.url, label: first.label }
	};
}
