// Hands the unsubscribe service to the HTTP server's one-click handler
// (scripts/server/one-click-unsubscribe.js), which answers RFC 8058 POSTs ahead of SvelteKit.
import { unsubscribe } from './preferences';

export function offerOneClickUnsubscribe(): void {
	(globalThis as Record<symbol, unknown>)[Symbol.for('platform:one-click-unsubscribe')] =
		unsubscribe;
}
