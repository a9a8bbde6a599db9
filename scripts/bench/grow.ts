// Grows the bench database to N learners in a process of its own: `tsx grow.ts <url> <total>
// <learners.json>`. bench.ts runs it so that the load generator's process does none of it.
import fs from 'node:fs';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { useDatabase } from '../../src/lib/server/db';
import * as schema from '../../src/lib/server/db/schema';
import { growTo, type Learner } from './seed';

const [url, total, learnersFile] = process.argv.slice(2);
if (!url || !total || !learnersFile) throw new Error('usage: tsx grow.ts <url> <total> <file>');
const client = postgres(url, { max: 2, onnotice: () => {} });
useDatabase(drizzle(client, { schema }), client);
await growTo(Number(total), JSON.parse(fs.readFileSync(learnersFile, 'utf8')) as Learner[]);
await client.end();
