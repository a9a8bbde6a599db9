// Quiz and question types as the platform holds them after loading (shared by server and UI).
import type { QuestionFile, QuizSettings } from '../content/schema';

export type { QuizSettings };
export type QuestionType = QuestionFile['type'];

/** A question as loaded: the file's fields plus the prompt compiled to safe HTML. */
export type Question = QuestionFile & { promptHtml: string };

export interface Quiz {
	id: string;
	title: string;
	settings: QuizSettings;
	questions: Question[];
	/** Hash of the quiz file: the content version an attempt is made against. */
	version: string;
	/** The quiz file, for messages to authors. */
	file?: string;
	/** File lines for messages to authors: each question by id, each option as "question.option". */
	lines?: Record<string, number>;
}
