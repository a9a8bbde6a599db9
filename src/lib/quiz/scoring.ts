// Grading: the score of one answer, of a whole attempt, and the grade recorded across attempts.
// Answers are expected to be validated (answers.ts); anything of the wrong shape scores zero.
import type { QuestionFile } from '../content/schema';
import type { Answer } from './answers';

export interface QuestionResult {
	score: number;
	points: number;
	/** Full points. */
	correct: boolean;
}

export type GradeRule = 'highest' | 'last' | 'first' | 'average';

/** Rounds away float noise such as 0.30000000000000004, so stored scores compare cleanly. */
const round = (x: number, decimals: number) => {
	const f = 10 ** decimals;
	return Math.round(x * f) / f;
};

/** Case-, space- and (optionally) accent-insensitive form of a typed answer. */
export function normaliseText(s: string, foldAccents: boolean): string {
	const plain = s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
	return foldAccents ? plain.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : plain;
}

/** The share of the question answered correctly, from 0 to 1. */
function fractionCorrect(q: QuestionFile, answer: Answer): number {
	switch (q.type) {
		case 'single':
			return q.options.some((o) => o.correct && o.id === answer) ? 1 : 0;
		case 'multiple': {
			if (!Array.isArray(answer)) return 0;
			const chosen = new Set(answer);
			const right = q.options.filter((o) => o.correct);
			const rightChosen = right.filter((o) => chosen.has(o.id)).length;
			const wrongChosen = q.options.filter((o) => !o.correct && chosen.has(o.id)).length;
			if (q.scoring === 'all-or-nothing')
				return rightChosen === right.length && wrongChosen === 0 ? 1 : 0;
			return Math.max(0, (rightChosen - wrongChosen) / right.length);
		}
		case 'truefalse':
			return answer === q.answer ? 1 : 0;
		case 'ordering':
			return Array.isArray(answer) &&
				answer.length === q.items.length &&
				q.items.every((item, i) => answer[i] === item.id)
				? 1
				: 0;
		case 'matching': {
			if (typeof answer !== 'object' || Array.isArray(answer)) return 0;
			// hasOwn: a pair id like "constructor" must not match something inherited.
			const matched = q.pairs.filter((p) => Object.hasOwn(answer, p.id) && answer[p.id] === p.id);
			return matched.length / q.pairs.length;
		}
		case 'numeric':
			// The 1e-9 absorbs float error, e.g. 0.1 + 0.2 against a key of 0.3.
			return typeof answer === 'number' && Math.abs(answer - q.answer) <= q.tolerance + 1e-9
				? 1
				: 0;
		case 'text': {
			if (typeof answer !== 'string') return 0;
			const given = normaliseText(answer, q.foldAccents);
			return q.accept.some((a) => normaliseText(a, q.foldAccents) === given) ? 1 : 0;
		}
	}
}

/** Scores one answer; unanswered (null) scores zero. */
export function scoreQuestion(q: QuestionFile, answer: Answer | null): QuestionResult {
	const fraction = answer === null ? 0 : fractionCorrect(q, answer);
	// Full marks are exactly the points; min() keeps rounding from ever exceeding them.
	const score = fraction === 1 ? q.points : Math.min(q.points, round(q.points * fraction, 4));
	return { score, points: q.points, correct: fraction === 1 };
}

/** Scores a whole attempt; questions missing from `answers` count as unanswered. */
export function gradeAnswers(
	questions: QuestionFile[],
	answers: Record<string, Answer | null | undefined>
): { score: number; maxScore: number; percent: number; results: Record<string, QuestionResult> } {
	const entries = questions.map((q): [string, QuestionResult] => {
		const answer = Object.hasOwn(answers, q.id) ? (answers[q.id] ?? null) : null;
		return [q.id, scoreQuestion(q, answer)];
	});
	const score = entries.reduce((sum, [, r]) => sum + r.score, 0);
	const maxScore = entries.reduce((sum, [, r]) => sum + r.points, 0);
	const percent = maxScore === 0 ? 0 : Math.min(100, Math.max(0, (score / maxScore) * 100));
	return {
		score: round(score, 4),
		maxScore: round(maxScore, 4),
		percent: round(percent, 2),
		results: Object.fromEntries(entries)
	};
}

export function passed(percent: number, passPercent: number): boolean {
	return percent >= passPercent;
}

/** The attempt whose grade counts under "highest", "first" or "last"; null for "average". */
export function countedAttempt<T extends { percent: number; submittedAt: Date }>(
	attempts: readonly T[],
	rule: GradeRule
): T | null {
	if (attempts.length === 0 || rule === 'average') return null;
	if (rule === 'highest')
		return attempts.reduce((best, a) => (a.percent > best.percent ? a : best));
	// Attempts may arrive in any order; on a tie the one listed first (or last) wins.
	const beats = (a: Date, b: Date) =>
		rule === 'first' ? a.getTime() < b.getTime() : a.getTime() >= b.getTime();
	let pick = attempts[0]!;
	for (const a of attempts.slice(1)) if (beats(a.submittedAt, pick.submittedAt)) pick = a;
	return pick;
}

/** The grade that counts for a quiz under its grading rule; null before any attempt. */
export function recordedGrade(
	attempts: readonly { percent: number; submittedAt: Date }[],
	rule: GradeRule
): number | null {
	if (attempts.length === 0) return null;
	if (rule === 'average')
		return round(attempts.reduce((sum, a) => sum + a.percent, 0) / attempts.length, 2);
	return countedAttempt(attempts, rule)!.percent;
}

/**
 * Whether a quiz is passed: the counted attempt keeps the pass/fail it was graded with (its pass
 * mark was frozen when it started), so editing the pass mark later never flips it; an average is
 * held to the current pass mark.
 */
export function quizPassed(
	attempts: readonly { percent: number; submittedAt: Date; passed: boolean }[],
	rule: GradeRule,
	passPercent: number
): boolean {
	if (rule === 'average') {
		const grade = recordedGrade(attempts, rule);
		return grade !== null && passed(grade, passPercent);
	}
	return countedAttempt(attempts, rule)?.passed ?? false;
}
