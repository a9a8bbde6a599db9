// The resource rules services consult: who may see and change what.
import { describe, expect, it } from 'vitest';
import { can } from '../../src/lib/server/auth/can';

const learner = { id: 'l1', role: 'learner' as const };
const other = { id: 'l2', role: 'learner' as const };
const coach = { id: 'c1', role: 'coach' as const };
const admin = { id: 'a1', role: 'admin' as const };

describe('can', () => {
	it("keeps a learner's records to that learner (coaches join through teams, not by role)", () => {
		const record = { kind: 'learner-record', ownerId: 'l1' } as const;
		expect(can(learner, 'view', record)).toBe(true);
		for (const who of [other, coach, admin, null]) expect(can(who, 'view', record)).toBe(false);
	});
	it('lets only admins administer, and each person change their own account', () => {
		expect(can(admin, 'change', { kind: 'administration' })).toBe(true);
		for (const who of [learner, coach, null])
			expect(can(who, 'change', { kind: 'administration' })).toBe(false);
		expect(can(learner, 'change', { kind: 'account', id: 'l1' })).toBe(true);
		expect(can(admin, 'change', { kind: 'account', id: 'l1' })).toBe(false);
	});
	it("lets only a team's own coach (while still a coach) see or change it", () => {
		const team = { kind: 'team', coachId: 'c1' } as const;
		expect(can(coach, 'change', team)).toBe(true);
		const otherCoach = { id: 'c2', role: 'coach' as const };
		for (const who of [otherCoach, learner, admin, null])
			expect(can(who, 'view', team)).toBe(false);
		// A coach demoted to learner loses their teams at once.
		expect(can({ id: 'c1', role: 'learner' }, 'view', team)).toBe(false);
	});
});
