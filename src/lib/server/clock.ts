// Server time, in one place, so time limits and waits can be tested with a controllable clock.
let offsetMs = 0;
let frozenMs: number | null = null;

export function now(): Date {
	return new Date(frozenMs ?? Date.now() + offsetMs);
}

/** For tests: move the server's clock. */
export function advanceClock(ms: number): void {
	if (frozenMs !== null) frozenMs += ms;
	else offsetMs += ms;
}

/** For tests: stop the server's clock at `at`, so a boundary can be hit to the millisecond. */
export function freezeClock(at: Date): void {
	frozenMs = at.getTime();
}

export function resetClock(): void {
	offsetMs = 0;
	frozenMs = null;
}
