// Direct access to an app instance's database, for what no page shows: making a coach or an
// admin, and a fingerprint of every row to prove a refused request changed nothing.
import postgres from 'postgres';

export function openSql(url: string) {
	return postgres(url, { max: 2, onnotice: () => {} });
}

export async function setRole(
	sql: postgres.Sql,
	email: string,
	role: 'learner' | 'coach' | 'admin'
) {
	const rows = await sql`update users set role = ${role} where email = ${email} returning id`;
	if (rows.length !== 1) throw new Error(`no account ${email}`);
	return rows[0]!.id as string;
}

export async function userId(sql: postgres.Sql, email: string): Promise<string> {
	const [row] = await sql`select id from users where email = ${email}`;
	return row!.id as string;
}

/**
 * The account's failed-log-in count and lock, as every instance reads them. Tests lengthen a
 * lock here rather than racing its first, one-second window on a busy machine.
 */
export async function accountThrottle(sql: postgres.Sql, email: string) {
	// Whether a lock was set, not whether it still holds: its first window is one second.
	const [row] = await sql<{ failures: number; locked: boolean }[]>`
		select failures, locked_until is not null as locked from login_throttle
		where key = ${'email:' + email}`;
	return row;
}

export async function lengthenLock(sql: postgres.Sql, email: string) {
	await sql`update login_throttle set locked_until = now() + interval '10 minutes'
		where key = ${'email:' + email} and locked_until is not null`;
}

export async function endLock(sql: postgres.Sql, email: string) {
	await sql`update login_throttle set locked_until = now() - interval '1 second'
		where key = ${'email:' + email}`;
}

/**
 * Tables a refused request may still write to, by design: failed log-ins and sign-up attempts
 * are counted precisely because they were refused.
 */
export const BOOKKEEPING = ['login_throttle', 'signup_attempts'];

/** One hash per table of all its rows (every column), so any insert, update or delete shows. */
export async function fingerprint(sql: postgres.Sql): Promise<Record<string, string>> {
	const tables = await sql<{ name: string }[]>`
		select table_name as name from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
	const parts = tables
		.map((t) => t.name)
		.filter((name) => !BOOKKEEPING.includes(name))
		.map(
			(name) =>
				// A sum of 64-bit row hashes: order-free, so no sort, and any changed column shows.
				`select '${name}' as name, count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) as h from "${name}" t`
		);
	const rows = await sql.unsafe<{ name: string; h: string }[]>(parts.join(' union all '));
	return Object.fromEntries(rows.map((r) => [r.name, r.h]));
}
