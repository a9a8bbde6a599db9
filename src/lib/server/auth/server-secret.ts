// Secrets the app makes for itself, such as the key that signs device cookies.
//
// Kept in the database rather than in DATA_DIR or an environment variable: it is the one place
// every app instance already shares, embedded or behind DATABASE_URL, so a multi-instance
// install needs no configuration and no instance can disagree with another. It adds no exposure
// either: whoever can read this table can read the password hashes beside it, which is worth
// more to an attacker than the power to mint device cookies. To rotate, delete the row and
// restart the app: every browser then simply counts as a new device once.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { db } from '../db';
import { serverSecrets } from '../db/schema';

const cache = new Map<string, Promise<Buffer>>();

/** A 256-bit secret by name: created by whichever instance asks first, then read by all. */
export function serverSecret(name: string): Promise<Buffer> {
	let secret = cache.get(name);
	if (!secret) {
		// A failed read (database briefly down) is retried next time rather than cached.
		secret = loadOrCreate(name).catch((e: unknown) => {
			cache.delete(name);
			throw e;
		});
		cache.set(name, secret);
	}
	return secret;
}

async function loadOrCreate(name: string): Promise<Buffer> {
	const value = randomBytes(32).toString('base64url');
	await db().insert(serverSecrets).values({ name, value }).onConflictDoNothing();
	const [row] = await db().select().from(serverSecrets).where(eq(serverSecrets.name, name));
	if (!row) throw new Error(`The server secret "${name}" could not be stored.`);
	return Buffer.from(row.value, 'base64url');
}
