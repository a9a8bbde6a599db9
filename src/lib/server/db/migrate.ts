// Applies the SQL migrations in drizzle/ under an advisory lock, so several app instances
// starting together against one PostgreSQL migrate it exactly once.
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';
import { migrationsDir } from '../config';

const MIGRATION_LOCK = 727_001;

export async function runMigrations(client: postgres.Sql): Promise<void> {
	// The lock is held by one reserved connection while the pool runs the migrations.
	const lockHolder = await client.reserve();
	try {
		await lockHolder`select pg_advisory_lock(${MIGRATION_LOCK})`;
		await migrate(drizzle(client), { migrationsFolder: migrationsDir() });
	} finally {
		await lockHolder`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
		lockHolder.release();
	}
}
