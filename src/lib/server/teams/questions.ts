// The question view: per quiz of the team's assigned courses, the share of the team's athletes
// who answered each question right at their first attempt, hardest first, with the wrong answer
// chosen most often. A fixed number of statements (team check, assignments, first attempts).
import { sql } from 'drizzle-orm';
import { db } from '../db';
import { quizAttempts, teamMembers } from '../db/schema';
import { findCourse } from '../content/catalog';
import type { Answer } from '../../quiz/answers';
import type { QuestionResult } from '../../quiz/scoring';
import type { Question } from '../../quiz/types';
import { assignmentsOfTeam } from './assignments';
import { teamForCoach, type Coach } from './teams';

export type QuestionStat = {
	id: string;
	promptHtml: string;
	answered: number;
	right: number;
	/** 0–100, rounded. */
	percent: number;
	commonWrong: { text: string; count: number } | null;
};

export type QuizStats = {
	courseTitle: string;
	quizId: string;
	title: string;
	questions: QuestionStat[];
};

type Row = {
	course_id: string;
	quiz_id: string;
	answers: Record<string, Answer | null>;
	results: Record<string, QuestionResult> | null;
};

/** A wrong answer in words, so answers can be counted and shown; null for ordering/matching. */
function answerText(q: Question, answer: Answer | null | undefined): string | null {
	if (answer === null || answer === undefined) return 'No answer';
	const option = (id: string) =>
		q.type === 'single' || q.type === 'multiple'
			? (q.options.find((o) => o.id === id)?.text ?? id)
			: id;
	switch (q.type) {
		case 'single':
			return typeof answer === 'string' ? option(answer) : null;
		case 'multiple':
			return Array.isArray(answer) ? [...answer].map(option).sort().join('; ') : null;
		case 'truefalse':
			return answer === true ? 'True' : answer === false ? 'False' : null;
		case 'numeric':
			return typeof answer === 'number' ? `${answer}${q.unit ? ` ${q.unit}` : ''}` : null;
		case 'text':
			return typeof answer === 'string' ? answer.trim().toLocaleLowerCase() : null;
		default:
			return null;
	}
}

export async function questionStats(
	coach: Coach,
	teamId: string
): Promise<{ team: { id: string; name: string }; quizzes: QuizStats[] } | undefined> {
	const team = await teamForCoach(coach, teamId);
	if (!team) return undefined;
	const courses = [...new Set((await assignmentsOfTeam(team.id)).map((a) => a.courseId))].flatMap(
		(id) => {
			const course = findCourse(id);
			return course ? [course] : [];
		}
	);
	const rows: Row[] = courses.length
		? await db().execute<Row>(sql`
		select course_id, quiz_id, answers, results from ${quizAttempts}
		 where user_id in (select user_id from ${teamMembers} where team_id = ${team.id})
		   and course_id in ${courses.map((c) => c.id)}
		   and number = 1 and submitted_at is not null`)
		: [];
	const quizzes: QuizStats[] = [];
	for (const course of courses) {
		const all = [
			...course.modules.flatMap((m) => (m.quiz ? [m.quiz] : [])),
			...(course.finalExam ? [course.finalExam] : [])
		];
		for (const quiz of all) {
			const mine = rows.filter((r) => r.course_id === course.id && r.quiz_id === quiz.id);
			const questions = quiz.questions.map((q): QuestionStat => {
				let answered = 0;
				let right = 0;
				const wrong = new Map<string, number>();
				for (const r of mine) {
					const result = r.results?.[q.id];
					// Drawn quizzes give each athlete some of the questions: count only those seen.
					if (!result) continue;
					answered++;
					if (result.correct) right++;
					else {
						const text = answerText(q, r.answers[q.id]);
						if (text !== null) wrong.set(text, (wrong.get(text) ?? 0) + 1);
					}
				}
				const [top] = [...wrong].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
				return {
					id: q.id,
					promptHtml: q.promptHtml,
					answered,
					right,
					percent: answered ? Math.round((100 * right) / answered) : 0,
					commonWrong: top ? { text: top[0], count: top[1] } : null
				};
			});
			// Hardest first; questions nobody has answered yet go last.
			questions.sort(
				(a, b) =>
					Number(b.answered > 0) - Number(a.answered > 0) ||
					a.percent - b.percent ||
					b.answered - a.answered
			);
			quizzes.push({ courseTitle: course.title, quizId: quiz.id, title: quiz.title, questions });
		}
	}
	return { team: { id: team.id, name: team.name }, quizzes };
}
