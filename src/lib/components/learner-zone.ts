// The time zone the signed-in learner reads times in (root layout data), else UTC.
import { page } from '$app/state';
import { zoneOrUtc } from '$lib/time';

export function learnerZone(): string {
	const user = (page.data as { user?: { timeZone?: string | null } | null }).user;
	return zoneOrUtc(user?.timeZone);
}
