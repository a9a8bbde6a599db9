// Which paths anyone may see, and which need a particular role. Everything else needs a login.
import type { Role } from '../db/schema';

const PUBLIC_EXACT = new Set([
	'/',
	'/login',
	'/signup',
	'/healthz',
	'/courses',
	'/favicon.svg',
	'/logout'
]);
const PUBLIC_PREFIXES = ['/verify/', '/_app/'];
// Course overviews are public; lessons and quizzes below them are not.
const COURSE_OVERVIEW = /^\/courses\/[a-z0-9-]+\/?$/;

export function isPublicPath(path: string): boolean {
	return (
		PUBLIC_EXACT.has(path) ||
		PUBLIC_PREFIXES.some((p) => path.startsWith(p)) ||
		COURSE_OVERVIEW.test(path)
	);
}

export function requiredRole(path: string): Role[] | null {
	if (path === '/admin' || path.startsWith('/admin/')) return ['admin'];
	if (path === '/coach' || path.startsWith('/coach/')) return ['coach', 'admin'];
	return null;
}
