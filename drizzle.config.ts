import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate` to write SQL migrations into drizzle/.
export default defineConfig({
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	dialect: 'postgresql'
});
