// Every URL the app builds, in one place, so a route can move without hunting for strings.
export const courseUrl = (courseId: string) => `/courses/${courseId}`;
export const lessonUrl = (courseId: string, moduleId: string, lessonId: string) =>
	`/courses/${courseId}/${moduleId}/${lessonId}`;
/** The course's cover art, public (see course.yaml's `cover`). */
export const coverUrl = (courseId: string) => `/courses/${courseId}/cover`;
export const mediaUrl = (courseId: string, file: string) => `/courses/${courseId}/media/${file}`;
export const quizUrl = (courseId: string, moduleId: string) =>
	`/courses/${courseId}/${moduleId}/quiz`;
export const examUrl = (courseId: string) => `/courses/${courseId}/exam`;
export const attemptUrl = (courseId: string, attemptId: string) =>
	`/courses/${courseId}/attempts/${attemptId}`;
/** The log-in page, coming back to `target` (a path on this site) afterwards. */
export const loginUrl = (target: string) => `/login?redirectTo=${encodeURIComponent(target)}`;
export const certificatesUrl = () => '/certificates';
const CERTIFICATE_FILES = {
	pdf: 'certificate.pdf',
	credential: 'credential.jwt',
	'credential-ld': 'credential.json'
} as const;
export const certificateFileUrl = (id: string, kind: keyof typeof CERTIFICATE_FILES) =>
	`/certificates/${id}/${CERTIFICATE_FILES[kind]}`;
export const verifyUrl = (code: string) => `/verify/${code}`;
export const coachUrl = '/coach';
export const teamUrl = (teamId: string) => `/coach/teams/${teamId}`;
/** One section of the team page (progress, assignments, …), with the notice to show after a change. */
export const teamSectionUrl = (teamId: string, section: string, saved?: string) =>
	`/coach/teams/${teamId}?section=${section}${saved ? `&saved=${saved}` : ''}`;
export const athleteUrl = (teamId: string, athleteId: string) =>
	`/coach/teams/${teamId}/athletes/${athleteId}`;
export const teamCsvUrl = (teamId: string) => `/coach/teams/${teamId}/grid.csv`;
/** Assigning a course to chosen athletes of the team (the whole team is assigned on the team page). */
export const teamAssignUrl = (teamId: string) => `/coach/teams/${teamId}/assign`;
/** The invitation page; the code is the secret that lets someone ask to join. */
export const joinUrl = (code: string) => `/join/${code}`;
export const notificationsUrl = '/notifications';
/** Turns email reminders off without logging in; the token is the secret. */
export const unsubscribeUrl = (token: string) => `/unsubscribe/${token}`;
export const adminOutboxUrl = '/admin/outbox';
export const accountUrl = '/account';
export const dashboardUrl = '/dashboard';
/** The end of a course: the overall result, what was learned, the certificate, what next. */
export const completionUrl = (courseId: string) => `/courses/${courseId}/complete`;
export const teamQuestionsUrl = (teamId: string) => `/coach/teams/${teamId}/questions`;
export const adminCoachRequestsUrl = '/admin/coach-requests';
export const accountDataUrl = '/account/data.json';
export const accountRemovedUrl = '/account-removed';
/** Site settings: the site's public address, confirmed by an admin. */
export const adminSettingsUrl = '/admin/settings';
/** "Forgot your password?": asks for a reset link by email. */
export const resetRequestUrl = '/reset-password';
/** A password reset link; the token is the secret. */
export const resetPasswordUrl = (token: string) => `/reset-password/${token}`;
export const adminUsersUrl = '/admin/users';
export const signupUrl = (target: string) => `/signup?redirectTo=${encodeURIComponent(target)}`;
