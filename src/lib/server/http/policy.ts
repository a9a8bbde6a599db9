// Who may reach which route: one policy per route group, decided on SvelteKit's route id (the
// route that will actually run), never on the raw path, so percent-encoded paths such as
// /%61dmin cannot slip past. A route outside every group is refused: deny by default.
import type { Role } from '../db/schema';

export type Policy = 'public' | 'learner' | 'coach' | 'admin';

/** Route group → who may enter. Per-object checks (guards.ts) come on top, in each load. */
export const GROUP_POLICY: Record<Policy, { signedIn: boolean; roles: readonly Role[] | null }> = {
	public: { signedIn: false, roles: null },
	learner: { signedIn: true, roles: null },
	coach: { signedIn: true, roles: ['coach', 'admin'] },
	admin: { signedIn: true, roles: ['admin'] }
};

/** The policy of a route id such as "/(learner)/dashboard"; undefined outside every group. */
export function policyOf(routeId: string): Policy | undefined {
	const group = /^\/\(([a-z]+)\)/.exec(routeId)?.[1];
	return group && Object.hasOwn(GROUP_POLICY, group) ? (group as Policy) : undefined;
}

export type Decision = 'allow' | 'log-in' | 'not-found';

/**
 * What the hook does with a request. A path that matches no route (routeId null) is let through
 * for SvelteKit to answer 404; a role that does not fit gets 404 too, revealing nothing.
 */
export function decide(routeId: string | null, user: { role: Role } | null): Decision {
	if (routeId === null) return 'allow';
	const policy = policyOf(routeId);
	if (!policy) return 'not-found';
	const rule = GROUP_POLICY[policy];
	if (!rule.signedIn) return 'allow';
	if (!user) return 'log-in';
	return rule.roles && !rule.roles.includes(user.role) ? 'not-found' : 'allow';
}
