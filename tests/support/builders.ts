// The people and courses the integration tests start from, built through the services as users
// build them: the fixture course as the catalogue, a person, a coach with a team, a learner who
// has finished the course. Each test file has its own database (fresh-database.ts), so numbered
// names and addresses are unique within it.
import path from 'node:path';
import { createUser } from '../../src/lib/server/auth/accounts';
import { updateUser } from '../../src/lib/server/auth/admin-users';
import { useCourses } from '../../src/lib/server/content/catalog';
import { loadCourse } from '../../src/lib/server/content/load';
import type { Course } from '../../src/lib/server/content/types';
import { markLessonDone } from '../../src/lib/server/learning/lessons';
import { enrol } from '../../src/lib/server/learning/progress';
import { startAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import { acceptInvitation, createInvitation } from '../../src/lib/server/teams/invitations';
import { createTeam, type Coach } from '../../src/lib/server/teams/teams';
import type { Quiz } from '../../src/lib/quiz/types';
import { keyAnswers } from './answer-key';

export const PASSWORD = 'plum-tractor-71';
const FIXTURE_DIR = path.resolve(
	import.meta.dirname,
	'..',
	'fixtures',
	'courses',
	'fixture-course'
);

/** Loads the fixture course (two modules, a final exam, a certificate) as the whole catalogue. */
export function useFixtureCourse(): Course {
	const loaded = loadCourse(FIXTURE_DIR);
	if (!loaded.course) throw new Error(`Fixture course: ${JSON.stringify(loaded.problems)}`);
	useCourses([loaded.course]);
	return loaded.course;
}

export type Person = Coach & { email: string; name: string };
let people = 0;

/** A new account, "learner 3" at learner-3@example.com unless named; coaches and admins get the role. */
export async function person(
	role: 'learner' | 'coach' | 'admin' = 'learner',
	name?: string
): Promise<Person> {
	people++;
	const email = `${role}-${people}@example.com`;
	const made = await createUser({ name: name ?? `${role} ${people}`, email, password: PASSWORD });
	if (!made.ok) throw new Error(made.message);
	if (role !== 'learner') await updateUser({ id: made.value.id }, { role });
	return { id: made.value.id, role, email, name: made.value.name };
}

/**
 * A coach's new team, and the link invitation these athletes accepted (open for more: it is
 * returned for tests that add people later).
 */
export async function coachWithTeam(
	athletes: { id: string }[] = [],
	options: {
		coachName?: string;
		team?: string;
		season?: string;
		maxUses?: number;
		days?: number;
	} = {}
) {
	const coach = await person('coach', options.coachName);
	const team = (await createTeam(coach, {
		name: options.team ?? `Squad ${people}`,
		...(options.season ? { season: options.season } : {})
	}))!;
	const inv = (await createInvitation(coach, team.id, {
		days: options.days ?? 7,
		maxUses: options.maxUses ?? 100
	}))!;
	for (const a of athletes) {
		const joined = await acceptInvitation(inv.code, a.id);
		if (!joined.ok) throw new Error(`join: ${joined.message}`);
	}
	return { coach, team, inv };
}

/** A learner enrolled in the course, nothing done yet. */
export async function enrolledLearner(course: Course, name?: string): Promise<Person> {
	const learner = await person('learner', name);
	await enrol(learner.id, course);
	return learner;
}

/** A quiz of the course started and answered as its key says. */
export function passQuiz(userId: string, course: Course, quiz: Quiz) {
	return takeQuiz(userId, course, quiz, true);
}

/** A quiz of the course started and submitted: answered as its key says, or left blank (failed). */
export async function takeQuiz(userId: string, course: Course, quiz: Quiz, right: boolean) {
	const started = await startAttempt(userId, course, quiz);
	if (!started.ok) throw new Error(`not started: ${started.reason}`);
	return submitAttempt(
		userId,
		started.attempt.id,
		course,
		quiz,
		right ? keyAnswers(started.attempt.questions) : {}
	);
}

/** Every lesson of the course done, every quiz and the final exam passed, by a learner enrolled in it. */
export async function finishCourse(userId: string, course: Course) {
	for (const lesson of course.lessons) await markLessonDone(userId, course, lesson);
	for (const module of course.modules) if (module.quiz) await passQuiz(userId, course, module.quiz);
	if (course.finalExam) await passQuiz(userId, course, course.finalExam);
}

/** A learner who has finished the course (enrolled, then finishCourse). */
export async function finishedLearner(course: Course, name?: string): Promise<Person> {
	const learner = await enrolledLearner(course, name);
	await finishCourse(learner.id, course);
	return learner;
}
