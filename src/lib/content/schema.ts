// The schema of course files: course.yaml, lesson front matter, and quiz YAML.
// Strict objects, so a misspelt key is reported instead of silently ignored.
import { z } from 'zod';

const id = z
	.string()
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single dashes.');
const text = z.string().trim().min(1, 'Must not be empty.');

export const courseFileSchema = z.strictObject({
	id,
	title: text,
	summary: text,
	audience: text.optional(),
	/** An image in the course folder shown on the course's card, to visitors too. */
	cover: z
		.string()
		.regex(/^[\w-]+\.(svg|png|jpe?g|webp)$/i, 'Name an image file in the course folder.')
		.optional(),
	estimatedMinutes: z.number().int().positive(),
	version: z.number().int().positive(),
	published: z.boolean().default(true),
	certificate: z.boolean().default(false),
	completion: z
		.strictObject({
			lessons: z.literal('all').default('all'),
			moduleQuizzes: z.literal('passed').default('passed'),
			finalExam: z.literal('passed').default('passed')
		})
		.default({ lessons: 'all', moduleQuizzes: 'passed', finalExam: 'passed' }),
	finalExam: z
		.string()
		.regex(/^[\w.-]+\.ya?ml$/, 'Name a YAML file in the course folder.')
		.optional(),
	modules: z
		.array(
			z.strictObject({
				id,
				title: text,
				folder: z.string().regex(/^[\w-]+$/, 'Name a folder in the course folder.')
			})
		)
		.min(1, 'A course needs at least one module.')
});

export const lessonFrontMatterSchema = z.strictObject({
	id,
	title: text,
	minutes: z.number().int().positive(),
	objectives: z.array(text).min(1, 'List at least one objective.'),
	sources: z.array(text).min(1, 'List the sources of the facts taught.')
});

export const gradeRules = ['highest', 'last', 'first', 'average'] as const;
export const reviewLevels = ['score', 'which', 'answers', 'explanations'] as const;

export const quizSettingsSchema = z.strictObject({
	passPercent: z.number().min(0).max(100).default(80),
	maxAttempts: z.number().int().positive().nullable().default(null),
	waitMinutes: z.number().min(0).default(0),
	grade: z.enum(gradeRules).default('highest'),
	timeLimitMinutes: z.number().positive().nullable().default(null),
	shuffleQuestions: z.boolean().default(false),
	shuffleOptions: z.boolean().default(false),
	draw: z.number().int().positive().nullable().default(null),
	review: z.enum(reviewLevels).default('explanations'),
	answersOnlyWhenDone: z.boolean().default(false)
});

const reason = z
	.string({ error: 'Say why this check does not apply to this question.' })
	.trim()
	.min(1, 'Say why this check does not apply to this question.');

/**
 * Item-writing checks `courses:check` runs (docs/course-format.md), each silenced for one
 * question by naming it under `allow:` with the reason: a silence with no reason is an error.
 */
export const itemCheckAllowSchema = z.strictObject({
	'longest-key': reason.optional(),
	'key-position': reason.optional(),
	'all-or-none-option': reason.optional(),
	'key-repeats-stem': reason.optional(),
	'absolute-word': reason.optional(),
	'hedge-word': reason.optional(),
	'near-duplicate': reason.optional(),
	'scenario-without-situation': reason.optional()
});
export type ItemCheckId = keyof z.infer<typeof itemCheckAllowSchema>;
export const itemCheckIds = Object.keys(itemCheckAllowSchema.shape) as ItemCheckId[];

const base = {
	id,
	// Imported questions (npm run import) have no lesson until an author links one; courses:check
	// names each of them in a warning.
	lesson: id.optional(),
	points: z.number().positive().default(1),
	prompt: text,
	explanation: text,
	// Free labels for authors and reviewers (e.g. "scenario"); never shown to learners or graded.
	tags: z.array(id).optional(),
	allow: itemCheckAllowSchema.optional()
};

const option = z.strictObject({
	id,
	text,
	correct: z.boolean().default(false),
	feedback: text.optional(),
	pinned: z.boolean().default(false)
});

const uniqueIds = (items: { id: string }[]) =>
	new Set(items.map((i) => i.id)).size === items.length;
const wrongOptionsHaveFeedback = (q: { options: z.infer<typeof option>[] }) =>
	q.options.every((o) => o.correct || o.feedback);

const single = z
	.strictObject({ ...base, type: z.literal('single'), options: z.array(option).min(2) })
	.refine((q) => q.options.filter((o) => o.correct).length === 1, {
		message: 'A single-choice question needs exactly one correct option.',
		path: ['options']
	});
const multiple = z
	.strictObject({
		...base,
		type: z.literal('multiple'),
		scoring: z.enum(['all-or-nothing', 'partial']).default('all-or-nothing'),
		options: z.array(option).min(2)
	})
	.refine((q) => q.options.some((o) => o.correct), {
		message: 'A multiple-response question needs at least one correct option.',
		path: ['options']
	});
const truefalse = z.strictObject({
	...base,
	type: z.literal('truefalse'),
	answer: z.boolean(),
	feedback: text
});
const ordering = z.strictObject({
	...base,
	type: z.literal('ordering'),
	items: z.array(z.strictObject({ id, text })).min(2),
	feedback: text
});
const matching = z.strictObject({
	...base,
	type: z.literal('matching'),
	pairs: z.array(z.strictObject({ id, left: text, right: text })).min(2),
	feedback: text
});
const numeric = z.strictObject({
	...base,
	type: z.literal('numeric'),
	answer: z.number(),
	tolerance: z.number().min(0).default(0),
	unit: text.optional(),
	feedback: text
});
const textAnswer = z.strictObject({
	...base,
	type: z.literal('text'),
	accept: z.array(text).min(1),
	foldAccents: z.boolean().default(true),
	feedback: text
});

export const questionSchema = z
	.discriminatedUnion('type', [
		single,
		multiple,
		truefalse,
		ordering,
		matching,
		numeric,
		textAnswer
	])
	.superRefine((q, ctx) => {
		const lists =
			q.type === 'single' || q.type === 'multiple'
				? [q.options]
				: q.type === 'ordering'
					? [q.items]
					: q.type === 'matching'
						? [q.pairs]
						: [];
		for (const list of lists)
			if (!uniqueIds(list))
				ctx.addIssue({ code: 'custom', message: 'Duplicate ids in this question.' });
		if ((q.type === 'single' || q.type === 'multiple') && !wrongOptionsHaveFeedback(q))
			ctx.addIssue({
				code: 'custom',
				message: 'Every wrong option needs feedback.',
				path: ['options']
			});
	});

/**
 * An inline knowledge check in a lesson (a ```check block): a question in the quiz schema whose
 * `lesson` is the lesson it stands in, so it may be left out.
 */
export const inlineCheckSchema = (lessonId: string) =>
	z.preprocess(
		(v) =>
			typeof v === 'object' && v !== null && !Array.isArray(v) && !('lesson' in v)
				? { ...v, lesson: lessonId }
				: v,
		questionSchema.refine((q) => q.lesson === lessonId, {
			message: `A check belongs to the lesson it stands in ("${lessonId}"): leave "lesson" out.`,
			path: ['lesson']
		})
	);

export const quizFileSchema = z
	.strictObject({
		id,
		title: text,
		settings: quizSettingsSchema.default(quizSettingsSchema.parse({})),
		questions: z.array(questionSchema).min(1, 'A quiz needs at least one question.')
	})
	.superRefine((quiz, ctx) => {
		const seen = new Set<string>();
		quiz.questions.forEach((q, i) => {
			if (seen.has(q.id))
				ctx.addIssue({
					code: 'custom',
					message: `Duplicate question id "${q.id}".`,
					path: ['questions', i, 'id']
				});
			seen.add(q.id);
		});
		if (quiz.settings.draw && quiz.settings.draw > quiz.questions.length)
			ctx.addIssue({
				code: 'custom',
				message: `Cannot draw ${quiz.settings.draw} questions from a pool of ${quiz.questions.length}.`,
				path: ['settings', 'draw']
			});
	});

export type CourseFile = z.infer<typeof courseFileSchema>;
export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>;
export type QuizFile = z.infer<typeof quizFileSchema>;
export type QuestionFile = z.infer<typeof questionSchema>;
export type QuizSettings = z.infer<typeof quizSettingsSchema>;
