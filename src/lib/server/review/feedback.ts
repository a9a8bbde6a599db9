// Reading and grading one answer to one question outside a quiz attempt (an inline check or a
// review card), and what the learner is shown after it: the key only once they have answered.
import { parseFormAnswer } from '../../quiz/answers';
import { scoreQuestion } from '../../quiz/scoring';
import type { Question } from '../../quiz/types';
import type { ReviewItem } from '../../quiz/views';
import { outcomeOf, type Outcome } from '../../review/schedule';
import { LearnerIds } from '../quiz/learner-ids';
import { answerForLearner, correctAnswerText, feedbackFor } from '../quiz/views';
import type { Answer } from '../../quiz/answers';

export type GradedAnswer =
	{ ok: true; answer: Answer | null; outcome: Outcome } | { ok: false; message: string };

/** The form's answer to `q` (in the page's ids for `seed`), checked and scored. */
export function gradeFormAnswer(q: Question, seed: string, form: FormData): GradedAnswer {
	let tampered = false;
	const values = (key: string) =>
		form.getAll(key).filter((v): v is string => {
			if (typeof v !== 'string') tampered = true;
			return typeof v === 'string';
		});
	const checked = parseFormAnswer(q, new LearnerIds(q, seed).formReader(values));
	if (tampered) return { ok: false, message: 'Answers must be sent as text.' };
	if (!checked.ok) return { ok: false, message: checked.message };
	if (checked.answer === null) return { ok: false, message: 'Choose or type an answer first.' };
	return { ok: true, answer: checked.answer, outcome: outcomeOf(scoreQuestion(q, checked.answer)) };
}

/** The answered question with its verdict, feedback, key and explanation. */
export function feedbackItem(
	q: Question,
	seed: string,
	answer: Answer | null,
	view: ReviewItem['question'],
	lesson: ReviewItem['lesson']
): ReviewItem {
	const result = scoreQuestion(q, answer);
	const shown = answerForLearner(q, seed, answer);
	return {
		question: view,
		answer: shown,
		score: result.score,
		correct: result.correct,
		feedback: feedbackFor(q, answer, result.correct, true),
		correctAnswer: result.correct ? undefined : correctAnswerText(q),
		explanation: q.explanation,
		lesson
	};
}
