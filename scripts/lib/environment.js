// The settings file that `npm start` and every CLI read: `.env` in the project folder (or the
// file ENV_FILE names), when there is one: KEY=value lines such as DATA_DIR, DATABASE_URL,
// ORIGIN. A variable already set in the environment wins over the file, so a service manager's
// or a test's own settings hold. Imported first, for its effect, so the settings are in place
// before any module reads them.
import fs from 'node:fs';
import path from 'node:path';

export const environmentFile = path.resolve(
	process.env.ENV_FILE || path.join(import.meta.dirname, '..', '..', '.env')
);

if (fs.existsSync(environmentFile)) process.loadEnvFile(environmentFile);
else if (process.env.ENV_FILE) {
	console.error(`ENV_FILE names ${environmentFile}, which does not exist.`);
	process.exit(1);
}
