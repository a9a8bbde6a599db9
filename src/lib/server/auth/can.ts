// Who may do what to which object: the one table that services consult for rules on resources
// (the route groups in http/policy.ts only say who may enter a part of the site). Whether a
// coach may see an athlete depends on team membership, so teams/access.ts reads it from the
// database and asks here with the team's coach.
import type { Role } from '../db/schema';

export type Resource =
	/** Anything recorded about one learner's learning: attempts, results, progress. */
	| { kind: 'learner-record'; ownerId: string }
	/** An account's own settings. */
	| { kind: 'account'; id: string }
	/** A team: its roster, invitations, assignments, grid and export. Its coach and assistants. */
	| { kind: 'team'; coachId: string; assistantIds?: readonly string[] }
	/** Deleting a team and choosing its assistants: its own coach only, never an assistant. */
	| { kind: 'team-ownership'; coachId: string }
	/** Regrading a quiz, and the user list. */
	| { kind: 'administration' };

export type Action = 'view' | 'change';

type Actor = { id: string; role: Role };
type Rule<R extends Resource> = (user: Actor, action: Action, resource: R) => boolean;

const RULES: { [K in Resource['kind']]: Rule<Extract<Resource, { kind: K }>> } = {
	// Only the learner; an admin's tools work through their own pages, not learners' URLs.
	'learner-record': (user, _action, r) => user.id === r.ownerId,
	account: (user, _action, r) => user.id === r.id,
	// The coach who made the team; another coach, or an admin browsing, gets nothing (404).
	team: (user, _action, r) =>
		(user.id === r.coachId || (r.assistantIds ?? []).includes(user.id)) &&
		(user.role === 'coach' || user.role === 'admin'),
	'team-ownership': (user, _action, r) =>
		user.id === r.coachId && (user.role === 'coach' || user.role === 'admin'),
	administration: (user) => user.role === 'admin'
};

export function can(user: Actor | null, action: Action, resource: Resource): boolean {
	if (!user) return false;
	const rule = RULES[resource.kind] as Rule<Resource>;
	return rule(user, action, resource);
}
