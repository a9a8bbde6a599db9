// The client's address for throttling. With ADDRESS_HEADER set, adapter-node throws for a
// request that lacks the header (a proxy that does not set it, or a request that reached the app
// around the proxy); that must not turn a log-in into a 500, nor skip the per-address limits.
// Every such request counts as one shared "unknown" address, which is limited like any other,
// and the operator is told once per process.

// Longer than any IPv6 address with a zone: not an address, so not a key worth storing.
const MAX_ADDRESS_LENGTH = 64;

/** The one address every request without a usable one shares (so they share one allowance). */
export const UNKNOWN_ADDRESS = 'unknown';

let warned = false;

function warnOnce(log: (message: string) => void, reason: string) {
	if (warned) return;
	warned = true;
	log(
		`Proxy misconfigured: ${reason}. Requests without a usable client address all count as ` +
			`one address ("${UNKNOWN_ADDRESS}") for the per-address limits, so they share one ` +
			'allowance. Check that the proxy sets ADDRESS_HEADER (and XFF_DEPTH) on every request, ' +
			'or unset ADDRESS_HEADER if there is no proxy. (Logged once.)'
	);
}

export function clientAddress(
	event: { getClientAddress(): string },
	log: (message: string) => void = console.warn
): string {
	let address: string;
	try {
		address = event.getClientAddress()?.trim() ?? '';
	} catch (e) {
		warnOnce(log, e instanceof Error ? e.message : String(e));
		return UNKNOWN_ADDRESS;
	}
	if (!address || address.length > MAX_ADDRESS_LENGTH) {
		warnOnce(log, `the client address header holds "${address.slice(0, 80)}"`);
		return UNKNOWN_ADDRESS;
	}
	return address;
}
