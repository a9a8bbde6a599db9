// `npm run db:migrate`: applies the committed migrations in drizzle/ (the app also does this at start).
import { closeDatabase, openDatabaseForCli } from '../src/lib/server/db';

try {
	await openDatabaseForCli();
	console.log('Migrations applied.');
} finally {
	await closeDatabase();
}
