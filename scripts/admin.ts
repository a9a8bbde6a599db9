// The admin CLI: `npm run admin -- <command> [options]`. See README "Administration".
// Each command is one entry in `commands` below: its options (parseArgs), the line of usage and
// a summary that `--help` lists, and `run`, which opens the site's database itself when it
// needs it. Add a command by adding an entry; the help text and the checks follow.
import './lib/environment.js';
import readline from 'node:readline';
import type { ParseArgsConfig } from 'node:util';
import { desc } from 'drizzle-orm';
import { createUser, findUserByEmail } from '../src/lib/server/auth/accounts';
import { adminResetLink } from '../src/lib/server/auth/password-reset';
import { setDisabled, setRole, updateUser } from '../src/lib/server/auth/admin-users';
import { dataDir } from '../src/lib/server/config';
import { closeDatabase, db, openDatabaseForCli, openedDatabase } from '../src/lib/server/db';
import { DataDirError } from '../src/lib/server/db/embedded';
import { roles, users, type Role } from '../src/lib/server/db/schema';
import { readCommandLine, refuseUsage } from './lib/command-line.js';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface Command {
	/** The options after the command's name, e.g. "--email <email> --name <name>". */
	usage: string;
	summary: string;
	options: NonNullable<ParseArgsConfig['options']>;
	/** Returns the exit status. Throw UsageError for a mistake in the options. */
	run(values: Values): Promise<number>;
}

class UsageError extends Error {}

const email = { email: { type: 'string' } } as const;

const commands: Record<string, Command> = {
	'create-admin': {
		usage: '--email <email> --name <name>',
		summary: 'Create an admin (the password is read from standard input, or prompted for)',
		options: { ...email, name: { type: 'string' } },
		async run(values) {
			const address = need(values, 'email');
			const name = need(values, 'name');
			// The database first: a site that cannot be found is said before a password is asked.
			await openDatabaseForCli();
			if (await findUserByEmail(address)) {
				console.error(
					`An account with ${address} already exists; use set-role to make it an admin.`
				);
				return 1;
			}
			const password = await readPassword();
			const result = await createUser({ email: address, name, password, role: 'admin' });
			if (!result.ok) {
				console.error(`Could not create the admin: ${result.message}`);
				return 1;
			}
			console.log(`Created admin ${result.value.email} in ${openedDatabase()}.`);
			return 0;
		}
	},
	'set-role': {
		usage: '--email <email> --role <learner|coach|admin>',
		summary: "Change an account's role",
		options: { ...email, role: { type: 'string' } },
		async run(values) {
			const address = need(values, 'email');
			const role = need(values, 'role');
			if (!roles.includes(role as Role))
				throw new UsageError(`--role must be one of: ${roles.join(', ')}`);
			await openDatabaseForCli();
			const user = await setRole(address, role as Role);
			if (!user) return notFound(address);
			console.log(`${user.email} is now ${user.role}.`);
			return 0;
		}
	},
	disable: {
		usage: '--email <email>',
		summary: "Block log-in and end the account's sessions",
		options: email,
		run: (values) => enableOrDisable(values, true)
	},
	enable: {
		usage: '--email <email>',
		summary: 'Allow log-in again',
		options: email,
		run: (values) => enableOrDisable(values, false)
	},
	'set-extra-time': {
		usage: '--email <email> --multiplier <1-4>',
		summary: 'Extra time on timed quizzes (1.5 = half as long again)',
		options: { ...email, multiplier: { type: 'string' } },
		async run(values) {
			const address = need(values, 'email');
			const multiplier = Number(need(values, 'multiplier'));
			if (!(multiplier >= 1 && multiplier <= 4))
				throw new UsageError('--multiplier must be a number from 1 to 4');
			await openDatabaseForCli();
			const user = await updateUser({ email: address }, { timeMultiplier: multiplier });
			if (!user) return notFound(address);
			console.log(`${user.email} now gets ×${multiplier} time on timed quizzes.`);
			return 0;
		}
	},
	'list-users': {
		usage: '',
		summary: 'Print every account with its role and status',
		options: {},
		async run() {
			await openDatabaseForCli();
			const rows = await db().select().from(users).orderBy(desc(users.createdAt));
			for (const u of rows)
				console.log(`${u.email}\t${u.role}\t${u.disabledAt ? 'disabled' : 'active'}\t${u.name}`);
			return 0;
		}
	},
	'reset-link': {
		usage: '--email <email>',
		summary: 'Print a one-hour, single-use password reset link to pass on by hand',
		options: email,
		async run(values) {
			// For sites without mail: the link is printed once; only its hash is stored.
			const address = need(values, 'email');
			await openDatabaseForCli();
			const made = await adminResetLink({ email: address }, null);
			if (!made) return notFound(address);
			console.log(
				`Reset link for ${made.email} (works once, until ${made.expiresAt.toISOString()}):`
			);
			console.log(made.url);
			return 0;
		}
	}
};

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
${Object.entries(commands)
	.map(([name, c]) => `  ${`${name} ${c.usage}`.padEnd(54)} ${c.summary}`)
	.join('\n')}

\`npm run admin -- <command> --help\` shows one command's options.
The database is the site's, found as \`npm start\` finds it: DATABASE_URL, else DATA_DIR
(${dataDir()}), either from the environment or from .env. It works whether the site runs or not.`;

async function enableOrDisable(values: Values, disable: boolean): Promise<number> {
	const address = need(values, 'email');
	await openDatabaseForCli();
	const user = await setDisabled(address, disable);
	if (!user) return notFound(address);
	console.log(`${user.email} is ${disable ? 'disabled' : 'enabled'}.`);
	return 0;
}

function need(values: Values, flag: string): string {
	const value = values[flag];
	if (typeof value !== 'string' || !value) throw new UsageError(`missing --${flag}`);
	return value;
}

function notFound(address: string): number {
	console.error(`No account with the email ${address} in ${openedDatabase()}.`);
	return 1;
}

async function readPassword(): Promise<string> {
	if (!process.stdin.isTTY) {
		const chunks: Buffer[] = [];
		for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
	}
	const rl = readline.createInterface({
		input: process.stdin,
		output: process.stdout,
		terminal: true
	});
	// Hide what is typed.
	(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
		if (s.includes('Password')) process.stdout.write(s);
	};
	const answer = await new Promise<string>((resolve) => rl.question('Password: ', resolve));
	rl.close();
	process.stdout.write('\n');
	return answer;
}

// `npm run admin -- list-users | head`: a reader that stops early is no reason to crash before
// the embedded database (if this run started one) is stopped again.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code !== 'EPIPE') throw error;
});

// The command is the first word; what follows is its options (--help there: that command's).
const argv = process.argv.slice(2);
const at = argv.findIndex((a) => !a.startsWith('-'));
const name = at < 0 ? undefined : argv[at]!;
if (name === undefined) {
	readCommandLine(USAGE, { args: argv, options: {} });
	refuseUsage(USAGE, 'name a command');
}
const command = Object.hasOwn(commands, name) ? commands[name]! : undefined;
if (!command) refuseUsage(USAGE, `unknown command "${name}"`);
const commandUsage = `Usage: npm run admin -- ${name} ${command.usage}\n\n${command.summary}.`;
const { values } = readCommandLine(commandUsage, {
	args: [...argv.slice(0, at), ...argv.slice(at + 1)],
	options: command.options
});

let code = 1;
try {
	code = await command.run(values);
} catch (error) {
	if (error instanceof UsageError) refuseUsage(USAGE, `${name}: ${error.message}`);
	console.error(
		error instanceof DataDirError ? error.message : `The command failed: ${String(error)}`
	);
} finally {
	await closeDatabase();
}
process.exit(code);
