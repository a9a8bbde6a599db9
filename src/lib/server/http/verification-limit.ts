// Guessing verification codes at speed is refused: misses (and checks of uploaded credentials,
// which cost a signature verification) count against the address; showing a certificate that
// exists does not, so a shared link stays one read. Codes carry 128 random bits, so this is a
// second line of defence. Requests without a usable address share one (see client-address.ts).
import { error } from '@sveltejs/kit';
import { clientAddress } from '../auth/client-address';
import { reserveInHour } from '../auth/signup-limit';

const allowance = () => Number(process.env.VERIFY_ADDRESS_ALLOWANCE) || 300;

/** Counts one costly or missed lookup; 429 with the wait once the hour's allowance is spent. */
export async function limitVerification(event: { getClientAddress(): string }) {
	const address = clientAddress(event);
	const reserved = await reserveInHour(`verify:${address}`, allowance());
	if (!reserved.ok)
		error(429, `Too many checks from your address. Try again in ${reserved.retryAfter} seconds.`);
}
