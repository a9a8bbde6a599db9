// The time zone the signed-in learner reads times in (root layout data), else UTC.
import { page } from '$app/state';
import { formatDate, zoneOrUtc } from '$lib/time';

export function learnerZone(): string {
	const user = (page.data as { user?: { timeZone?: string | null } | null }).user;
	return zoneOrUtc(user?.timeZone);
}

/** A day ("29 Nov 2026") in the signed-in reader's zone: the one way dates are written. */
export const dayText = (when: string | Date) => formatDate(when, learnerZone());
