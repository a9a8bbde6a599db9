// Which questions of an attempt have no answer at all, by their number on the page: what the
// learner is asked to confirm before submitting.

/** No answer: nothing chosen or typed (a partly matched or ordered question counts as answered). */
export function isUnanswered(answer: unknown): boolean {
	if (answer === null || answer === undefined || answer === '') return true;
	if (Array.isArray(answer)) return answer.length === 0;
	if (typeof answer === 'object') return Object.keys(answer).length === 0;
	return false;
}

/** Question numbers (1-based, in the attempt's order) without an answer. */
export function unansweredNumbers(
	questions: readonly { id: string }[],
	answers: Record<string, unknown>
): number[] {
	return questions.flatMap((q, i) => (isUnanswered(answers[q.id]) ? [i + 1] : []));
}

/** "question 2", "questions 2 and 5", "questions 1, 2 and 5". */
export function questionList(numbers: readonly number[]): string {
	if (numbers.length === 1) return `question ${numbers[0]}`;
	return `questions ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}
