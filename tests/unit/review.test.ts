// Spaced review's pure rules: correctness → FSRS rating (and the self-ratings allowed), what a
// content change does to a card, the streak in the learner's zone across midnight and DST, and
// the inline-check syntax in lessons with its courses:check errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { nextSchedule, outcomeOf, ratingFor, selfRatings } from '../../src/lib/review/schedule';
import { reconcileCard } from '../../src/lib/review/reconcile';
import { activityStrip, streak } from '../../src/lib/review/streak';
import { endOfLocalDay, localDay } from '../../src/lib/time';
import { loadCourse } from '../../src/lib/server/content/load';
import { authoringHints } from '../../src/lib/server/content/authoring-hints';
import type { Question } from '../../src/lib/quiz/types';

const DAY = 86_400_000;

describe('correctness → FSRS rating', () => {
	it('rates wrong Again, partly right Hard and right Good', () => {
		expect(ratingFor(outcomeOf({ score: 0, correct: false }))).toBe(Rating.Again);
		expect(ratingFor(outcomeOf({ score: 0.5, correct: false }))).toBe(Rating.Hard);
		expect(ratingFor(outcomeOf({ score: 1, correct: true }))).toBe(Rating.Good);
	});

	it('lets a self-rating move only within what the answer showed', () => {
		expect(ratingFor('right', Rating.Easy)).toBe(Rating.Easy);
		expect(ratingFor('right', Rating.Again)).toBe(Rating.Good);
		expect(ratingFor('wrong', Rating.Easy)).toBe(Rating.Again);
		expect(ratingFor('partly', Rating.Good)).toBe(Rating.Hard);
		expect(selfRatings('wrong')).toEqual([Rating.Again]);
	});

	it('schedules a missed question sooner than a right one, and both on later days', () => {
		const at = new Date('2026-03-02T09:00:00Z');
		const wrong = nextSchedule(null, ratingFor('wrong'), at).dueAt.getTime();
		const right = nextSchedule(null, ratingFor('right'), at).dueAt.getTime();
		expect(wrong).toBeGreaterThanOrEqual(at.getTime() + DAY);
		expect(right).toBeGreaterThan(wrong);
		// A card answered right again goes further out.
		const first = nextSchedule(null, Rating.Good, at);
		const second = nextSchedule(first.schedule, Rating.Good, first.dueAt);
		expect(second.dueAt.getTime() - first.dueAt.getTime()).toBeGreaterThan(
			first.dueAt.getTime() - at.getTime()
		);
	});
});

const single = (correct: string, prompt = 'Which one?'): Extract<Question, { type: 'single' }> => ({
	id: 'q',
	lesson: 'l',
	type: 'single',
	points: 1,
	prompt,
	promptHtml: `<p>${prompt}</p>`,
	explanation: 'Because.',
	options: ['a', 'b', 'c'].map((id) => ({
		id,
		text: id.toUpperCase(),
		correct: id === correct,
		pinned: false,
		feedback: id === correct ? undefined : 'No.'
	}))
});

describe('a card on a content change', () => {
	it('is retired when the question left the course', () => {
		expect(reconcileCard(single('a'), undefined)).toEqual({ action: 'retire' });
	});
	it('starts afresh when the key changed', () => {
		expect(reconcileCard(single('a'), single('b')).action).toBe('reset');
	});
	it('keeps its schedule when only the wording changed, and is left alone when nothing did', () => {
		expect(reconcileCard(single('a'), single('a', 'Which one, now?')).action).toBe('update');
		expect(reconcileCard(single('a'), single('a')).action).toBe('keep');
		const shuffled: Question = { ...single('a'), options: [...single('a').options].reverse() };
		expect(reconcileCard(shuffled, single('a')).action).toBe('keep');
	});
});

describe('the streak in the learner’s time zone', () => {
	it('names the local day across midnight', () => {
		const at = new Date('2026-06-01T23:30:00Z');
		expect(localDay(at, 'UTC')).toBe('2026-06-01');
		expect(localDay(at, 'Europe/Berlin')).toBe('2026-06-02');
		expect(localDay(at, 'America/Los_Angeles')).toBe('2026-06-01');
		expect(localDay(at, 'Not/AZone')).toBe('2026-06-01');
	});

	it('counts days in a row, kept until today is over', () => {
		const days = ['2026-03-27', '2026-03-28', '2026-03-29'];
		expect(streak(days, '2026-03-29')).toBe(3);
		expect(streak(days, '2026-03-30')).toBe(3); // today not done yet
		expect(streak(days, '2026-03-31')).toBe(0);
		expect(streak(['2026-03-27', '2026-03-29'], '2026-03-29')).toBe(1);
	});

	it('survives the DST change: a 23-hour day is still one day', () => {
		// Europe/Berlin springs forward on 29 March 2026: that day has 23 hours.
		const zone = 'Europe/Berlin';
		const reviews = [
			new Date('2026-03-28T22:30:00Z'), // 23:30 on the 28th, local
			new Date('2026-03-29T21:30:00Z'), // 23:30 on the 29th (UTC+2 now)
			new Date('2026-03-30T05:00:00Z')
		].map((d) => localDay(d, zone));
		expect(reviews).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
		expect(streak(reviews, '2026-03-30')).toBe(3);
		// The day ends at local midnight, an hour earlier in UTC after the change.
		expect(endOfLocalDay(new Date('2026-03-28T12:00:00Z'), zone).toISOString()).toBe(
			'2026-03-28T23:00:00.000Z'
		);
		expect(endOfLocalDay(new Date('2026-03-29T12:00:00Z'), zone).toISOString()).toBe(
			'2026-03-29T22:00:00.000Z'
		);
		// New York falls back on 1 November 2026: that day has 25 hours.
		expect(endOfLocalDay(new Date('2026-11-01T12:00:00Z'), 'America/New_York').toISOString()).toBe(
			'2026-11-02T05:00:00.000Z'
		);
	});

	it('draws 30 days, oldest first, ending today', () => {
		const strip = activityStrip([{ day: '2026-03-29', answered: 4, finished: true }], '2026-03-30');
		expect(strip).toHaveLength(30);
		expect(strip.at(-1)!.day).toBe('2026-03-30');
		expect(strip.at(-2)).toEqual({ day: '2026-03-29', answered: 4, finished: true });
		expect(strip[0]!.day).toBe('2026-03-01');
	});
});

const fixtureDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'courses', 'fixture-course');
const temp: string[] = [];
afterAll(() => temp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The fixture course with its first lesson's body replaced. */
function withLessonBody(body: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'inline-check-'));
	temp.push(root);
	const dir = path.join(root, 'fixture-course');
	fs.cpSync(fixtureDir, dir, { recursive: true });
	const file = path.join(dir, '01-basics', '01-first-steps.md');
	const source = fs.readFileSync(file, 'utf8');
	const front = /^---\n[\s\S]*?\n---\n/.exec(source)![0];
	fs.writeFileSync(file, front + body);
	return loadCourse(dir);
}

const CHECK = `id: pot-check
type: truefalse
prompt: "True or false: the pot is warmed before the leaves go in."
answer: true
feedback: The pot is warmed first.
explanation: The lesson warms the pot first.`;

describe('the inline-check syntax', () => {
	it('turns a ```check block into a check between the text around it, keys kept on the server', () => {
		const { course, problems } = withLessonBody(
			`Before.\n\n\`\`\`check\n${CHECK}\n\`\`\`\n\nAfter.\n`
		);
		expect(problems).toEqual([]);
		const lesson = course!.lessons[0]!;
		expect(lesson.sections.map((s) => s.kind)).toEqual(['html', 'check', 'html']);
		expect(lesson.checks[0]).toMatchObject({
			id: 'pot-check',
			lesson: 'first-steps',
			answer: true
		});
		expect(lesson.html).not.toContain('pot-check');
		expect(lesson.html).toContain('Before.');
	});

	it('reports a broken check with its file and line, as courses:check prints it', () => {
		const { problems } = withLessonBody(
			`Intro.\n\n\`\`\`check\nid: no-type\nprompt: Missing its type.\nexplanation: x\n\`\`\`\n`
		);
		expect(problems).toHaveLength(1);
		expect(problems[0]!.file).toMatch(/01-first-steps\.md$/);
		// Front matter is 9 lines; the fence opens on line 12, the id on 13.
		expect(problems[0]!.line).toBeGreaterThanOrEqual(12);
	});

	it('refuses a duplicate check id, a check naming another lesson, and a check inside a list', () => {
		const dup = withLessonBody(
			`\`\`\`check\n${CHECK}\n\`\`\`\n\n\`\`\`check\n${CHECK}\n\`\`\`\n`
		).problems.map((p) => p.message);
		expect(dup).toContainEqual(expect.stringMatching(/Duplicate inline check id "pot-check"/));
		const other = withLessonBody(`\`\`\`check\n${CHECK}\nlesson: second-steps\n\`\`\`\n`).problems;
		expect(other.map((p) => p.message)).toContainEqual(
			expect.stringMatching(/belongs to the lesson it stands in/)
		);
		const nested = withLessonBody(
			`- item\n\n  \`\`\`check\n  ${CHECK.replace(/\n/g, '\n  ')}\n  \`\`\`\n`
		).problems;
		expect(nested.map((p) => p.message)).toContainEqual(
			expect.stringMatching(/must stand on its own/)
		);
	});

	it('runs the item-writing checks over inline checks, against the quizzes too', () => {
		// A copy of the basics quiz's first question as a check: a near-duplicate.
		const { course } = withLessonBody(`\`\`\`check
id: copied
type: single
prompt: What do you do **before** putting the leaves in?
explanation: Copied from the quiz.
options:
  - id: x
    text: Chill the pot
    feedback: No.
  - id: y
    text: Warm the pot
    correct: true
\`\`\`
`);
		const hints = authoringHints(course!);
		const duplicates = hints.filter((h) => h.check === 'near-duplicate');
		expect(duplicates.map((h) => h.message)).toContainEqual(
			expect.stringMatching(/copied|warm-first/)
		);
	});
});
