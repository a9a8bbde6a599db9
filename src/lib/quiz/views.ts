// What the browser receives about questions: never the key before grading (README, "Accounts and security").
export interface ChoiceView {
	id: string;
	text: string;
}

interface ViewBase {
	id: string;
	promptHtml: string;
	points: number;
}

/**
 * A question as the page shows it, one shape per type, so a new type must be given a view and
 * a field of its own before it can render (QuestionField checks the union exhaustively).
 */
export type QuestionView =
	| (ViewBase & { type: 'single' | 'multiple'; choices: ChoiceView[] })
	/** The steps, in display order. */
	| (ViewBase & { type: 'ordering'; choices: ChoiceView[] })
	/** The left-hand items, and the right-hand answers in display order. */
	| (ViewBase & { type: 'matching'; prompts: ChoiceView[]; choices: ChoiceView[] })
	| (ViewBase & { type: 'numeric'; unit?: string })
	| (ViewBase & { type: 'truefalse' | 'text' });

export const choicesOf = (q: QuestionView): ChoiceView[] => ('choices' in q ? q.choices : []);
export const promptsOf = (q: QuestionView): ChoiceView[] => ('prompts' in q ? q.prompts : []);

/** For the exhaustive end of a switch or {#if} chain over question types. */
export function unknownQuestionType(q: never): never {
	throw new Error(`No view for question type ${JSON.stringify((q as { type?: unknown }).type)}`);
}

/** The learner's saved answer, in the shape the form needs to show it again. */
export type SavedAnswer = string | string[] | boolean | number | Record<string, string> | null;

export interface ReviewItem {
	question: QuestionView;
	answer: SavedAnswer;
	/** Points earned, when the policy shows more than the total. */
	score?: number;
	/** Shown when the review policy allows "which answers were right". */
	correct?: boolean;
	/** Feedback on what the learner chose, when they were wrong ("which" and above). */
	feedback?: string[];
	/** The correct answer as text, when the policy allows it. */
	correctAnswer?: string;
	explanation?: string;
	lesson: { title: string; url: string } | null;
}

/** A saved answer in words, as the review of an attempt and the review feedback show it. */
export function answerText(q: QuestionView, a: SavedAnswer | undefined): string {
	const textOf = (id: string) => choicesOf(q).find((c) => c.id === id)?.text ?? id;
	if (a === null || a === undefined) return 'No answer';
	if (typeof a === 'boolean') return a ? 'True' : 'False';
	if (typeof a === 'number') return String(a);
	if (Array.isArray(a)) return a.map(textOf).join(q.type === 'ordering' ? ' → ' : '; ');
	if (typeof a === 'object')
		return promptsOf(q)
			.map((p) => `${p.text} → ${a[p.id] ? textOf(a[p.id]!) : '—'}`)
			.join('; ');
	return q.type === 'single' ? textOf(a) : a;
}

export interface QuizPageData {
	course: { id: string; title: string };
	quiz: {
		title: string;
		questionCount: number;
		passPercent: number;
		maxAttempts: number | null;
		waitMinutes: number;
		timeLimitMinutes: number | null;
		grade: 'highest' | 'last' | 'first' | 'average';
	};
	open: boolean;
	/** What a closed quiz waits for: lessons not marked done, or (final exam) modules not done. */
	missing: { title: string; url: string; kind: 'lesson' | 'module' }[];
	/** Where to go once this quiz is passed: the next step in the course, or its completion page. */
	continueTo: { label: string; url: string } | null;
	exam: boolean;
	serverNow: string;
	refusal: { reason: 'no-attempts-left' | 'wait'; until: string | null } | null;
	attempt: {
		id: string;
		number: number;
		deadlineAt: string | null;
		serverNow: string;
		/** The last save applied; each autosave sends a higher one, so saves apply in order. */
		revision: number;
		questions: QuestionView[];
		answers: Record<string, SavedAnswer>;
	} | null;
	history: {
		id: string;
		number: number;
		submittedAt: string;
		percent: number | null;
		passed: boolean | null;
		url: string;
	}[];
	recordedGrade: number | null;
	passed: boolean;
}

export type QuizFormResult =
	| {
			message?: string;
			answerErrors?: Record<string, string>;
			stale?: boolean;
			revision?: number;
			/** Numbers of the questions left without an answer, asked to confirm before grading. */
			unanswered?: number[];
	  }
	| null
	| undefined;
