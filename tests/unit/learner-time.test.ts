// Times as learners read them, and the next step a result offers.
import { describe, expect, it } from 'vitest';
import {
	countdown,
	formatClock,
	formatDate,
	isTimeZone,
	percentText,
	pointsText,
	relativeTime,
	retryPhrase
} from '../../src/lib/time';
import { retryAt } from '../../src/lib/quiz/standing';
import { questionList, unansweredNumbers } from '../../src/lib/quiz/unanswered';
import { nextStep } from '../../src/lib/progress/next-step';
import type { CourseProgress } from '../../src/lib/progress/rules';

describe('the words for a retry and a day', () => {
	const until = '2026-11-29T13:53:11Z';
	const at = (secondsBefore: number) => Date.parse(until) - secondsBefore * 1000;

	it('says when a retry opens in one phrase: the clock in the zone, then how far off', () => {
		expect(retryPhrase(until, 'Europe/London', at(61))).toBe(
			'at 13:53:11 London time, in 61 seconds'
		);
		expect(retryPhrase(until, 'Asia/Tokyo', at(600))).toBe('at 22:53:11 Tokyo time, in 10 minutes');
		expect(retryPhrase(until, 'UTC', at(1))).toBe('at 13:53:11 UTC, in 1 second');
	});

	it("writes a day the same way everywhere, in the reader's zone", () => {
		expect(formatDate('2026-11-29T23:30:00Z', 'UTC')).toBe('29 Nov 2026');
		expect(formatDate(new Date('2026-11-29T23:30:00Z'), 'Asia/Tokyo')).toBe('30 Nov 2026');
	});
});

describe('time zones and relative times', () => {
	it('accepts IANA zones and refuses anything else', () => {
		expect(isTimeZone('Europe/Paris')).toBe(true);
		expect(isTimeZone('UTC')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(isTimeZone('')).toBe(false);
	});

	it('shows a time in the learner zone, to the second when asked', () => {
		const iso = '2030-01-01T10:00:05.000Z';
		expect(formatClock(iso, 'Asia/Tokyo', true)).toBe('19:00:05');
		expect(formatClock(iso, 'UTC')).toBe('10:00');
	});

	it('says how far off a time is, never shorter than it is', () => {
		const now = Date.parse('2030-01-01T10:00:00Z');
		expect(relativeTime('2030-01-01T10:02:01Z', now)).toBe('in 3 minutes');
		expect(relativeTime('2030-01-01T10:00:06Z', now)).toBe('in 6 seconds');
		expect(relativeTime('2030-01-01T09:00:00Z', now)).toBe('1 hour ago');
		expect(countdown(61_001)).toBe('1:02');
		expect(countdown(0)).toBe('0:00');
	});
});

describe('scores for people', () => {
	it('rounds, except where rounding would cross the pass mark', () => {
		expect(percentText(28.57)).toBe('29%');
		expect(percentText(49.6, 50)).toBe('49.6%');
		expect(percentText(66.67, 50)).toBe('67%');
		expect(pointsText(2, 7)).toBe('2 of 7');
		expect(pointsText(1.3333, 3)).toBe('1.3 of 3');
	});
});

describe('the retry moment', () => {
	it('is the wait rounded up to the whole second', () => {
		expect(retryAt(new Date('2030-01-01T10:00:00.400Z'), 1).toISOString()).toBe(
			'2030-01-01T10:01:01.000Z'
		);
		expect(retryAt(new Date('2030-01-01T10:00:00.000Z'), 1).toISOString()).toBe(
			'2030-01-01T10:01:00.000Z'
		);
	});
});

describe('unanswered questions', () => {
	it('lists the questions with nothing chosen or typed', () => {
		const qs = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
		expect(unansweredNumbers(qs, { a: 'x', b: [], c: {}, d: false })).toEqual([2, 3]);
		expect(questionList([2])).toBe('question 2');
		expect(questionList([1, 2, 5])).toBe('questions 1, 2 and 5');
	});
});

describe('the next step after a result', () => {
	const lesson = (id: string, done: boolean) => ({
		id,
		title: id,
		url: `/l/${id}`,
		done,
		updatedSinceDone: false
	});
	const progress = (over: Partial<CourseProgress>): CourseProgress => ({
		modules: [
			{
				id: 'm1',
				title: 'One',
				state: 'done',
				lessons: [lesson('a', true)],
				quiz: { id: 'q1', title: 'Q1', url: '/q1', passed: true, open: true }
			},
			{
				id: 'm2',
				title: 'Two',
				state: 'not-started',
				lessons: [lesson('b', false)],
				quiz: { id: 'q2', title: 'Q2', url: '/q2', passed: false, open: false }
			}
		],
		finalExam: { id: 'e', title: 'Final exam', url: '/exam', passed: false, open: false },
		stepsDone: 2,
		stepsTotal: 5,
		percent: 40,
		complete: false,
		next: { url: '/l/b', label: 'b' },
		...over
	});
	const base = {
		courseId: 'c',
		missedLessons: [],
		refusal: null,
		attemptsLeft: null
	};

	it('continues to the next module after a pass', () => {
		expect(nextStep({ ...base, progress: progress({}), moduleIndex: 0, quizPassed: true })).toEqual(
			{ kind: 'continue', label: 'Continue to module 2: Two', url: '/l/b' }
		);
	});

	it('leads to the completion page once the course is complete', () => {
		expect(
			nextStep({
				...base,
				progress: progress({ complete: true }),
				moduleIndex: null,
				quizPassed: true
			})
		).toEqual({ kind: 'finished', label: 'You finished the course', url: '/courses/c/complete' });
	});

	it('offers the lessons missed, once each, and when to retry after a fail', () => {
		const until = new Date('2030-01-01T10:01:01Z');
		const step = nextStep({
			...base,
			progress: progress({}),
			moduleIndex: 0,
			quizPassed: false,
			missedLessons: [
				{ title: 'a', url: '/l/a' },
				{ title: 'a', url: '/l/a' }
			],
			refusal: { reason: 'wait', until },
			attemptsLeft: 1
		});
		expect(step).toEqual({
			kind: 'retry',
			lessons: [{ title: 'a', url: '/l/a' }],
			retryAt: until.toISOString(),
			attemptsLeft: 1
		});
	});

	it('points back to the course when every attempt is used', () => {
		const step = nextStep({
			...base,
			progress: progress({}),
			moduleIndex: null,
			quizPassed: false,
			refusal: { reason: 'no-attempts-left' }
		});
		expect(step).toMatchObject({ kind: 'out-of-attempts', url: '/courses/c' });
	});
});
