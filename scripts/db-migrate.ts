// `npm run db:migrate`: applies the committed migrations in drizzle/ to the site's database (the
// app also does this at start), creating the embedded database in DATA_DIR if there is none yet.
import './lib/environment.js';
import { dataDir } from '../src/lib/server/config';
import { closeDatabase, openDatabaseForCli, openedDatabase } from '../src/lib/server/db';
import { DataDirError } from '../src/lib/server/db/embedded';
import { readCommandLine } from './lib/command-line.js';

readCommandLine(
	`Usage: npm run db:migrate

Applies the migrations in drizzle/ that the site's database lacks, as \`npm start\` does when it
starts, without starting the site. The database is DATABASE_URL's, else the embedded one in
DATA_DIR (${dataDir()}), which is created if it does not exist yet.

Options:
  -h, --help   this text`,
	{}
);

let code = 0;
try {
	await openDatabaseForCli({ create: true });
	console.log(`Migrations applied to ${openedDatabase()}.`);
} catch (error) {
	console.error(
		`Migration failed: ${error instanceof DataDirError ? error.message : String(error)}`
	);
	code = 1;
} finally {
	await closeDatabase();
}
process.exit(code);
