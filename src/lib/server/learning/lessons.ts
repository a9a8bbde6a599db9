// Marking a lesson done: recorded against the lesson's version, with what it completes.
import { sql } from 'drizzle-orm';
import { lessonProgress } from '../db/schema';
import type { Course, Lesson } from '../content/types';
import type { CourseProgress } from '../../progress/rules';
import { changeProgress, type Completion } from './completion';

export type MarkDoneResult =
	({ ok: true; progress: CourseProgress } & Completion) | { ok: false; reason: 'not-enrolled' };

export async function markLessonDone(
	userId: string,
	course: Course,
	lesson: Lesson
): Promise<MarkDoneResult> {
	const done = await changeProgress(userId, course, async (tx, { enrolled }) => {
		if (!enrolled) return { result: false };
		const [row] = await tx
			.insert(lessonProgress)
			.values({ userId, courseId: course.id, lessonId: lesson.id, lessonVersion: lesson.version })
			.onConflictDoUpdate({
				target: [lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonId],
				set: { lessonVersion: lesson.version }
			})
			// xmax is 0 on a freshly inserted row: only the first "done" is an event.
			.returning({ inserted: sql<boolean>`(xmax = 0)` });
		return {
			result: true,
			added: [
				{
					kind: 'lesson',
					id: lesson.id,
					version: lesson.version,
					percent: null,
					at: null,
					passed: null
				}
			],
			events: row?.inserted
				? [
						{
							type: 'lesson.completed' as const,
							lessonId: lesson.id,
							lessonVersion: lesson.version
						}
					]
				: []
		};
	});
	if (!done.result) return { ok: false, reason: 'not-enrolled' };
	return { ok: true, ...done };
}
