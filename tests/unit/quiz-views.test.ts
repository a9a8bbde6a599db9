// What the learner's page receives about a question: never enough to read the key.
import { describe, expect, it } from 'vitest';
import {
	answerForLearner,
	matchingChoiceIds,
	pairIdFromChoice,
	questionView
} from '../../src/lib/server/quiz/views';
import type { Question } from '../../src/lib/quiz/types';

const matching: Question = {
	id: 'brew-times',
	type: 'matching',
	lesson: 'l',
	points: 1,
	prompt: 'Match',
	promptHtml: '<p>Match</p>',
	explanation: 'e',
	feedback: 'f',
	pairs: [
		{ id: 'black', left: 'Black tea', right: '4 minutes' },
		{ id: 'green', left: 'Green tea', right: '2 minutes' },
		{ id: 'herbal', left: 'Herbal', right: '6 minutes' }
	]
};

describe('matching questions in an attempt', () => {
	const attempts = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'];

	it('names the answers by their shuffled place, never by the pair id', () => {
		for (const attemptId of attempts) {
			const view = questionView(matching, attemptId);
			expect(view.prompts.map((p) => p.id)).toEqual(['black', 'green', 'herbal']);
			expect(view.choices.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
			const html = JSON.stringify(view);
			for (const pair of matching.pairs)
				expect(html).not.toContain(`"id":"${pair.id}","text":"${pair.right}"`);
		}
	});

	it('does not always put the right answer in the same place', () => {
		const places = new Set(attempts.map((a) => matchingChoiceIds(matching, a).get('black')));
		expect(places.size).toBeGreaterThan(1);
	});

	it('translates choices back to pairs and saved answers forward, consistently', () => {
		for (const attemptId of attempts) {
			const view = questionView(matching, attemptId);
			const choiceFor = (text: string) => view.choices.find((c) => c.text === text)!.id;
			const chosen = choiceFor('4 minutes');
			expect(pairIdFromChoice(matching, attemptId, chosen)).toBe('black');
			expect(pairIdFromChoice(matching, attemptId, '')).toBe('');
			expect(pairIdFromChoice(matching, attemptId, 'black')).toBe('unknown:black');
			expect(answerForLearner(matching, attemptId, { black: 'black', green: 'herbal' })).toEqual({
				black: chosen,
				green: choiceFor('6 minutes')
			});
		}
	});

	it('leaves other answers as they are', () => {
		const single: Question = {
			id: 's',
			type: 'single',
			lesson: 'l',
			points: 1,
			prompt: 'p',
			promptHtml: 'p',
			explanation: 'e',
			options: [
				{ id: 'a', text: 'A', correct: true, pinned: false },
				{ id: 'b', text: 'B', correct: false, pinned: false, feedback: 'no' }
			]
		};
		expect(answerForLearner(single, 'x', 'b')).toBe('b');
		expect(answerForLearner(single, 'x', undefined)).toBeNull();
		expect(JSON.stringify(questionView(single, 'x'))).not.toContain('correct');
	});
});
