// The pure progress rules: lesson, module and course states, steps and percent, the next step,
// and content edits after a lesson was marked done.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	courseProgress,
	type LearnerRecords,
	type ProgressCourse
} from '../../src/lib/progress/rules';
import { examUrl, quizUrl } from '../../src/lib/routes';

const lesson = (id: string, moduleId: string, version = `v-${id}`) => ({
	id,
	title: `Lesson ${id}`,
	url: `/courses/c/${moduleId}/${id}`,
	version
});

const course: ProgressCourse = {
	id: 'c',
	modules: [
		{
			id: 'm1',
			title: 'Module one',
			lessons: [lesson('l1', 'm1'), lesson('l2', 'm1')],
			quiz: { id: 'q1', title: 'Quiz one' }
		},
		{
			id: 'm2',
			title: 'Module two',
			lessons: [lesson('l3', 'm2')],
			quiz: { id: 'q2', title: 'Quiz two' }
		}
	],
	finalExam: { id: 'exam', title: 'Final exam' }
};
const ALL_LESSONS = ['l1', 'l2', 'l3'];
const ALL_QUIZZES = ['q1', 'q2', 'exam'];

/** Records with lessons done against their current versions, unless a version is given. */
function records(
	lessons: (string | [string, string])[] = [],
	quizzes: string[] = []
): LearnerRecords {
	return {
		lessonsDone: new Map(lessons.map((l) => (typeof l === 'string' ? [l, `v-${l}`] : l))),
		quizzesPassed: new Set(quizzes)
	};
}

describe('courseProgress', () => {
	it('builds the URLs of module quizzes and the final exam', () => {
		expect(quizUrl('c', 'm1')).toBe('/courses/c/m1/quiz');
		expect(examUrl('c')).toBe('/courses/c/exam');
	});

	it('starts with nothing done, everything closed, and the first lesson next', () => {
		const p = courseProgress(course, records());
		expect(p.modules.map((m) => m.state)).toEqual(['not-started', 'not-started']);
		expect(p.modules[0]!.lessons).toEqual([
			{
				id: 'l1',
				title: 'Lesson l1',
				url: '/courses/c/m1/l1',
				done: false,
				updatedSinceDone: false
			},
			{
				id: 'l2',
				title: 'Lesson l2',
				url: '/courses/c/m1/l2',
				done: false,
				updatedSinceDone: false
			}
		]);
		expect(p.modules[0]!.quiz).toEqual({
			id: 'q1',
			title: 'Quiz one',
			url: '/courses/c/m1/quiz',
			passed: false,
			open: false
		});
		expect(p.finalExam).toEqual({
			id: 'exam',
			title: 'Final exam',
			url: '/courses/c/exam',
			passed: false,
			open: false
		});
		expect(p).toMatchObject({ stepsDone: 0, stepsTotal: 6, percent: 0, complete: false });
		expect(p.next).toEqual({ url: '/courses/c/m1/l1', label: 'Lesson l1' });
	});

	it('counts lessons, quizzes and the exam as steps, rounding the percent down', () => {
		expect(courseProgress(course, records(['l1'])).percent).toBe(16);
		expect(courseProgress(course, records(['l1', 'l2'])).percent).toBe(33);
		expect(courseProgress(course, records(['l1', 'l2'], ['q1'])).percent).toBe(50);
		const five = courseProgress(course, records(ALL_LESSONS, ['q1', 'q2']));
		expect(five).toMatchObject({ stepsDone: 5, stepsTotal: 6, percent: 83 });
	});

	it('marks a module in progress, then lessons-done with its quiz open, then done', () => {
		const some = courseProgress(course, records(['l2']));
		expect(some.modules[0]!.state).toBe('in-progress');
		expect(some.modules[0]!.quiz!.open).toBe(false);
		const lessonsDone = courseProgress(course, records(['l1', 'l2']));
		expect(lessonsDone.modules[0]!.state).toBe('lessons-done');
		expect(lessonsDone.modules[0]!.quiz).toMatchObject({ open: true, passed: false });
		expect(lessonsDone.modules[1]!.state).toBe('not-started');
		const done = courseProgress(course, records(['l1', 'l2'], ['q1']));
		expect(done.modules[0]!.state).toBe('done');
		expect(done.modules[0]!.quiz).toMatchObject({ open: true, passed: true });
	});

	it('does not count a module done when its quiz was passed but a lesson is missing', () => {
		const p = courseProgress(course, records(['l1'], ['q1']));
		expect(p.modules[0]!.state).toBe('in-progress');
		expect(p.modules[0]!.quiz).toMatchObject({ passed: true, open: false });
		expect(p.stepsDone).toBe(2);
		expect(p.next).toEqual({ url: '/courses/c/m1/l2', label: 'Lesson l2' });
	});

	it('a passed quiz alone starts a module', () => {
		expect(courseProgress(course, records([], ['q2'])).modules[1]!.state).toBe('in-progress');
	});

	it('opens the final exam only when every module is done', () => {
		const almost = courseProgress(course, records(ALL_LESSONS, ['q1']));
		expect(almost.finalExam!.open).toBe(false);
		const ready = courseProgress(course, records(ALL_LESSONS, ['q1', 'q2']));
		expect(ready.finalExam!.open).toBe(true);
		expect(ready.complete).toBe(false);
		expect(ready.next).toEqual({ url: '/courses/c/exam', label: 'Final exam' });
	});

	it('is complete only with every lesson, every module quiz and the final exam', () => {
		expect(courseProgress(course, records(ALL_LESSONS, ['q1', 'q2'])).complete).toBe(false);
		expect(courseProgress(course, records(ALL_LESSONS, ['q1', 'exam'])).complete).toBe(false);
		expect(courseProgress(course, records(['l1', 'l2'], ALL_QUIZZES)).complete).toBe(false);
		const all = courseProgress(course, records(ALL_LESSONS, ALL_QUIZZES));
		expect(all).toMatchObject({
			complete: true,
			stepsDone: 6,
			stepsTotal: 6,
			percent: 100,
			next: null
		});
		expect(all.modules.map((m) => m.state)).toEqual(['done', 'done']);
	});

	it('points next at the first step not done, in course order', () => {
		const next = (lessons: string[], quizzes: string[] = []) =>
			courseProgress(course, records(lessons, quizzes)).next?.url;
		expect(next(['l2', 'l3'], ['q2'])).toBe('/courses/c/m1/l1');
		expect(next(['l1'])).toBe('/courses/c/m1/l2');
		expect(next(['l1', 'l2', 'l3'])).toBe('/courses/c/m1/quiz');
		expect(next(['l1', 'l2'], ['q1'])).toBe('/courses/c/m2/l3');
		expect(next(['l1', 'l2', 'l3'], ['q1'])).toBe('/courses/c/m2/quiz');
		expect(next(['l1', 'l2', 'l3'], ['q1', 'q2'])).toBe('/courses/c/exam');
		// Everything but a lesson of module one: that lesson is next, and the course is not done.
		expect(next(['l1', 'l3'], ALL_QUIZZES)).toBe('/courses/c/m1/l2');
	});

	it('keeps a lesson done after an edit, and flags it as updated since', () => {
		const p = courseProgress(course, records([['l1', 'old-version'], 'l2']));
		expect(p.modules[0]!.lessons.map((l) => [l.id, l.done, l.updatedSinceDone])).toEqual([
			['l1', true, true],
			['l2', true, false]
		]);
		expect(p.modules[0]!.state).toBe('lessons-done');
		// An edit does not undo completion either.
		const all = courseProgress(course, records([['l1', 'old'], 'l2', 'l3'], ALL_QUIZZES));
		expect(all.complete).toBe(true);
	});

	it('ignores records of lessons and quizzes that are not in the course', () => {
		const p = courseProgress(course, records(['other-lesson'], ['other-quiz']));
		expect(p.stepsDone).toBe(0);
		expect(p.modules.map((m) => m.state)).toEqual(['not-started', 'not-started']);
	});

	it('handles a module without a quiz and a course without a final exam', () => {
		const simple: ProgressCourse = {
			id: 's',
			modules: [{ id: 'only', title: 'Only', lessons: [lesson('a', 'only'), lesson('b', 'only')] }]
		};
		const half = courseProgress(simple, records(['a']));
		expect(half).toMatchObject({ stepsTotal: 2, stepsDone: 1, percent: 50, complete: false });
		expect(half.finalExam).toBeUndefined();
		expect(half.modules[0]!.quiz).toBeUndefined();
		const done = courseProgress(simple, records(['a', 'b']));
		expect(done.modules[0]!.state).toBe('done');
		expect(done).toMatchObject({ complete: true, percent: 100, next: null });
	});

	it('for any records: complete exactly when every step is done, and next is the first gap', () => {
		fc.assert(
			fc.property(
				fc.subarray(ALL_LESSONS),
				fc.subarray(ALL_QUIZZES),
				fc.subarray(ALL_LESSONS),
				(lessons, quizzes, edited) => {
					const r = records(
						lessons.map((l): [string, string] => [l, edited.includes(l) ? 'old' : `v-${l}`]),
						quizzes
					);
					const p = courseProgress(course, r);
					expect(p.stepsDone).toBe(lessons.length + quizzes.length);
					expect(p.complete).toBe(p.stepsDone === p.stepsTotal);
					expect(p.percent === 100).toBe(p.complete);
					expect(p.next === null).toBe(p.complete);
					const order = [
						['l1', '/courses/c/m1/l1'],
						['l2', '/courses/c/m1/l2'],
						['q1', '/courses/c/m1/quiz'],
						['l3', '/courses/c/m2/l3'],
						['q2', '/courses/c/m2/quiz'],
						['exam', '/courses/c/exam']
					] as const;
					const gap = order.find(([id]) => !lessons.includes(id) && !quizzes.includes(id));
					expect(p.next?.url).toBe(gap?.[1]);
				}
			)
		);
	});
});
