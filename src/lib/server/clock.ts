// Server time, in one place, so time limits and waits can be tested with a controllable clock.
let offsetMs = 0;

export function now(): Date {
	return new Date(Date.now() + offsetMs);
}

/** For tests: move the server's clock. */
export function advanceClock(ms: number): void {
	offsetMs += ms;
}

export function resetClock(): void {
	offsetMs = 0;
}
