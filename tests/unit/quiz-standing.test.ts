// Which attempt counts, and whether the quiz is passed, across attempts and pass-mark edits.
import { describe, expect, it } from 'vitest';
import { countedAttempt, quizPassed, recordedGrade } from '../../src/lib/quiz/scoring';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
// Attempt 1 passed at the pass mark of its day (70), attempt 2 failed, attempt 3 failed.
const attempts = [
	{ n: 1, percent: 75, submittedAt: at(1), passed: true },
	{ n: 2, percent: 40, submittedAt: at(2), passed: false },
	{ n: 3, percent: 60, submittedAt: at(3), passed: false }
];

describe('the counted attempt', () => {
	it('follows the grading rule', () => {
		expect(countedAttempt(attempts, 'highest')?.n).toBe(1);
		expect(countedAttempt(attempts, 'first')?.n).toBe(1);
		expect(countedAttempt(attempts, 'last')?.n).toBe(3);
		expect(countedAttempt(attempts, 'average')).toBeNull();
		expect(countedAttempt([], 'highest')).toBeNull();
		expect(recordedGrade(attempts, 'average')).toBe(58.33);
	});
});

describe('passing a quiz', () => {
	it('keeps the pass/fail an attempt was graded with when the pass mark is edited later', () => {
		// The pass mark is now 80: the 75% attempt still passed under the 70 it was taken with.
		expect(quizPassed(attempts, 'highest', 80)).toBe(true);
		// Lowered to 50: the 60% last attempt failed under its own pass mark and stays failed.
		expect(quizPassed(attempts, 'last', 50)).toBe(false);
		expect(quizPassed(attempts, 'first', 100)).toBe(true);
	});

	it('holds an average to the current pass mark', () => {
		expect(quizPassed(attempts, 'average', 58)).toBe(true);
		expect(quizPassed(attempts, 'average', 59)).toBe(false);
		expect(quizPassed([], 'average', 0)).toBe(false);
	});
});
