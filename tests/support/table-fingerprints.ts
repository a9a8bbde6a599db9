// Each public table's row count and a hash of its rows, for comparing a restored copy with the
// database it came from, table by table.
import pg from 'pg';

export type Fingerprints = Record<string, { rows: number; md5: string }>;

/**
 * `leaveOut(table, columns)` may return an SQL condition on the row alias `t` for rows to leave
 * out of both sides (rows a test wrote while the backup ran), or null to compare every row.
 */
export async function tableFingerprints(
	url: string,
	leaveOut: (table: string, columns: string[]) => string | null = () => null
): Promise<Fingerprints> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const { rows: tables } = await client.query<{ name: string; columns: string[] }>(`
			select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
			  from pg_class c
			  join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
			  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
			 where c.relkind = 'r'
			 group by c.relname order by c.relname`);
		const out: Fingerprints = {};
		for (const t of tables) {
			const skip = leaveOut(t.name, t.columns);
			const { rows } = await client.query<{ rows: number; md5: string }>(
				`select count(*)::int as rows,
				        md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5
				   from ${client.escapeIdentifier(t.name)} t
				  where ${skip ? `not (${skip})` : 'true'}`
			);
			out[t.name] = rows[0]!;
		}
		return out;
	} finally {
		await client.end();
	}
}
