// For `npm run screenshots`: finishes the course for the walk-through's learner through the
// platform's own services (every lesson marked done, every quiz passed with the key), so the
// completion page can be captured. Run with DATA_DIR of the running screenshot server.
//
//   npx tsx scripts/screenshots-complete.ts <email> <course id>
import { findUserByEmail } from '../src/lib/server/auth/accounts';
import { advanceClock } from '../src/lib/server/clock';
import { coursesDirs } from '../src/lib/server/config';
import { findCourse, loadCatalog } from '../src/lib/server/content/catalog';
import { closeDatabase, openDatabaseForCli } from '../src/lib/server/db';
import { markLessonDone } from '../src/lib/server/learning/lessons';
import { startAttempt, submitAttempt } from '../src/lib/server/quiz/attempts';
import { keyAnswers } from '../tests/support/answer-key';

const [email, courseId] = process.argv.slice(2);
loadCatalog(coursesDirs(), () => {});
await openDatabaseForCli();
try {
	const user = await findUserByEmail(email!);
	const course = findCourse(courseId!);
	if (!user || !course) throw new Error(`No learner ${email} or course ${courseId}.`);
	for (const lesson of course.lessons) await markLessonDone(user.id, course, lesson);
	// The walk-through failed the first quiz on purpose; its wait is over in this process.
	advanceClock(2 * 60 * 1000);
	for (const quiz of [...course.modules.map((m) => m.quiz), course.finalExam]) {
		if (!quiz) continue;
		const started = await startAttempt(user.id, course, quiz);
		if (!started.ok) throw new Error(`${quiz.id} did not start: ${started.reason}`);
		await submitAttempt(
			user.id,
			started.attempt.id,
			course,
			quiz,
			keyAnswers(started.attempt.questions)
		);
	}
	console.log(`✓ ${email} finished ${course.title}.`);
} finally {
	await closeDatabase();
}
