// Issue 25: a learner who knows nothing must not get near the hip flexor final's pass mark by
// a habit (longest option, first or last shown, random, always True, a round number), and the
// course must pass the item-writing checks of courses:check without a warning.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadCourse } from '../../src/lib/server/content/load';
import { authoringHints, formatHint } from '../../src/lib/server/content/authoring-hints';
import {
	formatStrategyTable,
	STRATEGIES,
	testWiseScores
} from '../../src/lib/server/content/test-wise';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const courseDir = path.join(repoRoot, 'courses', 'hip-flexor-pain');
const loaded = loadCourse(courseDir);

describe('the hip flexor final exam against test-wise strategies', () => {
	it('scores below 40% under every strategy', () => {
		expect(loaded.problems.map(formatProblem)).toEqual([]);
		const exam = loaded.course!.finalExam!;
		const report = testWiseScores(exam);
		const table = formatStrategyTable(report, exam.questions, exam.settings.passPercent).join('\n');
		expect(report.scores.map((s) => s.strategy)).toEqual([...STRATEGIES]);
		for (const s of report.scores) expect(s.percent, `${s.strategy}\n${table}`).toBeLessThan(40);
	});
});

describe('the hip flexor course against the item-writing checks', () => {
	it('courses:check prints no warning', () => {
		expect(loaded.problems.map(formatProblem)).toEqual([]);
		expect(authoringHints(loaded.course!).map((h) => formatHint(h, repoRoot))).toEqual([]);
	});
});
