// What the browser receives about questions: never the key before grading (see SECURITY.md §1).
export interface ChoiceView {
	id: string;
	text: string;
}

export type QuestionView = {
	id: string;
	type: 'single' | 'multiple' | 'truefalse' | 'ordering' | 'matching' | 'numeric' | 'text';
	promptHtml: string;
	points: number;
	/** single/multiple: the options; ordering: the steps in display order. */
	choices: ChoiceView[];
	/** matching: the left-hand items, with `choices` as the right-hand answers. */
	prompts: ChoiceView[];
	unit?: string;
};

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
	| { message?: string; answerErrors?: Record<string, string>; stale?: boolean }
	| null
	| undefined;
