// Who may reach which route. Decided on SvelteKit's route id (the route that will actually run),
// not on the raw path, so percent-encoded paths such as /%61dmin cannot slip past.
import { error } from '@sveltejs/kit';
import type { Role } from '../db/schema';

const PUBLIC_ROUTES = new Set([
	'/',
	'/login',
	'/signup',
	'/logout',
	'/healthz',
	'/courses',
	// Course overviews are public; lessons, quizzes and media below them are not.
	'/courses/[course]'
]);

/** A request that matches no route is answered with 404 by SvelteKit, so it is let through. */
export function isPublicRoute(routeId: string | null): boolean {
	return routeId === null || PUBLIC_ROUTES.has(routeId) || routeId.startsWith('/verify/');
}

export function requiredRole(routeId: string | null): Role[] | null {
	if (routeId === null) return null;
	if (routeId === '/admin' || routeId.startsWith('/admin/')) return ['admin'];
	if (routeId === '/coach' || routeId.startsWith('/coach/')) return ['coach', 'admin'];
	return null;
}

/** In each admin or coach load and action as well as in the guard: 404 unless the role fits. */
export function requireRole<U extends { role: Role }>(user: U | null, roles: Role[]): U {
	if (!user || !roles.includes(user.role)) error(404, 'Not found');
	return user;
}
