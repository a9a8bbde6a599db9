import { requireEnrolment } from '$lib/server/http/guards';
import { publicAddress } from '$lib/server/site/address';
import { publishedCourses } from '$lib/server/content/catalog';
import {
	linkedInUrlOf,
	pdfNameProblem,
	siteAt,
	urlsOf
} from '$lib/server/certificates/documents';
import { completionSummary } from '$lib/server/learning/completion-summary';
import { enrolmentsOf } from '$lib/server/learning/progress';
import { certificateFileUrl, courseUrl } from '$lib/routes';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const { user, course, progress } = await requireEnrolment(params.course);
	const [summary, enrolled] = await Promise.all([
		completionSummary(user.id, course),
		enrolmentsOf(user.id)
	]);
	const site = siteAt(await publicAddress());
	const cert = summary.certificate;
	// What next: a course not started yet, else the catalogue.
	const started = new Set(enrolled.map((e) => e.courseId));
	const another = publishedCourses().find((c) => !started.has(c.id));
	return {
		course: { id: course.id, title: course.title, url: courseUrl(course.id) },
		complete: progress.complete,
		next: progress.next,
		percent: progress.percent,
		enrolledAt: summary.enrolledAt?.toISOString() ?? null,
		completedAt: summary.completedAt?.toISOString() ?? null,
		quizMinutes: summary.quizMinutes,
		attemptCount: summary.attemptCount,
		finalGrade: summary.finalGrade,
		modules: summary.modules,
		certificate:
			cert && !cert.revokedAt
				? {
						// A name the PDF font cannot print: say so instead of linking to a refusal.
						pdfProblem: pdfNameProblem(cert),
						pdfUrl: pdfNameProblem(cert) ? null : certificateFileUrl(cert.id, 'pdf'),
						credentialUrl: certificateFileUrl(cert.id, 'credential'),
						verificationUrl: urlsOf(cert, site).verificationUrl,
						linkedInUrl: linkedInUrlOf(cert, site)
					}
				: null,
		suggestion: another ? { title: another.title, url: courseUrl(another.id) } : null
	};
}) satisfies PageServerLoad;
