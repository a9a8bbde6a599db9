// Helpers for pointing a connection URL at another database on the same server.
export const TEMPLATE_DB = 'platform_test_template';

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}
