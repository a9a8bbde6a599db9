// Reads a submitted quiz form (the no-JavaScript form, also what autosave posts) against the
// attempt's own questions: page ids translated back to authored ids, each answer validated, and
// a message per question for anything malformed. Nothing is stored here.
import { parseFormAnswer } from '../../quiz/answers';
import { displaySeed, type Answers, type FrozenAttempt } from './attempts';
import { LearnerIds } from './learner-ids';

export interface FormAnswers {
	answers: Answers;
	/** Question id → message; "form" for problems with the form as a whole. */
	errors: Record<string, string>;
}

export function readFormAnswers(form: FormData, attempt: FrozenAttempt): FormAnswers {
	const shown = new Set(form.getAll('shown').filter((v): v is string => typeof v === 'string'));
	const answers: Answers = {};
	const errors: Record<string, string> = {};
	let tampered = false;
	const values = (key: string) =>
		form.getAll(key).filter((v): v is string => {
			if (typeof v !== 'string') tampered = true;
			return typeof v === 'string';
		});
	for (const q of attempt.questions) {
		if (!shown.has(q.id)) continue;
		const checked = parseFormAnswer(q, new LearnerIds(q, displaySeed(attempt)).formReader(values));
		if (checked.ok) answers[q.id] = checked.answer;
		else errors[q.id] = checked.message;
	}
	if (tampered) errors.form = 'Answers must be sent as text.';
	for (const id of shown)
		if (!attempt.questions.some((q) => q.id === id))
			errors.form = 'The form contains a question that is not part of your attempt.';
	return { answers, errors };
}
