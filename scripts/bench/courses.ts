// The benchmark's courses: the test fixture course copied under several ids, with each module
// quiz replaced by eight questions whose form fields need no per-attempt ids (true/false,
// numeric, text), so the load generator can answer them without reading the page first.
import fs from 'node:fs';
import path from 'node:path';

const FIXTURE = path.resolve(
	import.meta.dirname,
	'..',
	'..',
	'tests',
	'fixtures',
	'courses',
	'fixture-course'
);

export const BENCH_COURSES = [1, 2, 3, 4, 5].map((n) => `bench-course-${n}`);

function eightQuestionQuiz(id: string, lesson: string): string {
	const tf = [1, 2, 3, 4].map(
		(n) => `  - id: tf${n}
    type: truefalse
    lesson: ${lesson}
    prompt: Statement number ${n} about tea is true.
    answer: ${n % 2 === 1}
    feedback: Check the lesson.
    explanation: Statement ${n} is ${n % 2 === 1 ? 'true' : 'false'}.`
	);
	const numeric = [1, 2].map(
		(n) => `  - id: num${n}
    type: numeric
    lesson: ${lesson}
    prompt: How many cups does recipe ${n} make?
    answer: ${n + 2}
    feedback: Check the lesson.
    explanation: Recipe ${n} makes ${n + 2} cups.`
	);
	const text = [1, 2].map(
		(n) => `  - id: word${n}
    type: text
    lesson: ${lesson}
    prompt: Name the vessel used in step ${n}.
    accept:
      - pot
      - teapot
    feedback: Check the lesson.
    explanation: It is the pot.`
	);
	return `id: ${id}
title: Eight questions (${id})
settings:
  passPercent: 50
  waitMinutes: 0
questions:
${[...tf, ...numeric, ...text].join('\n')}
`;
}

/** The form fields (as the no-JavaScript quiz form posts them) answering all eight right. */
export function eightAnswersForm(): URLSearchParams {
	const form = new URLSearchParams();
	for (const [id, value] of [
		['tf1', 'true'],
		['tf2', 'false'],
		['tf3', 'true'],
		['tf4', 'false'],
		['num1', '3'],
		['num2', '4'],
		['word1', 'pot'],
		['word2', 'teapot']
	]) {
		form.append('shown', id!);
		form.append(`q.${id}`, value!);
	}
	return form;
}

/** Writes the courses under `dir` (a fresh temporary folder) and returns it. */
export function writeBenchCourses(dir: string): string {
	for (const id of BENCH_COURSES) {
		const target = path.join(dir, id);
		fs.cpSync(FIXTURE, target, { recursive: true });
		const yaml = path.join(target, 'course.yaml');
		const n = id.split('-').at(-1);
		fs.writeFileSync(
			yaml,
			fs
				.readFileSync(yaml, 'utf8')
				.replace(/^id: .*$/m, `id: ${id}`)
				.replace(/^title: .*$/m, `title: Brewing a pot of tea, part ${n}`)
		);
		fs.writeFileSync(
			path.join(target, '01-basics', 'quiz.yaml'),
			eightQuestionQuiz('basics-quiz', 'first-steps')
		);
		fs.writeFileSync(
			path.join(target, '02-advanced', 'quiz.yaml'),
			eightQuestionQuiz('advanced-quiz', 'deep-dive')
		);
	}
	return dir;
}
