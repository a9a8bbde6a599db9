// The admin CLI: `npm run admin -- <command> [options]`. See README "Administration".
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { desc } from 'drizzle-orm';
import { createUser, findUserByEmail } from '../src/lib/server/auth/accounts';
import { setDisabled, setRole, updateUser } from '../src/lib/server/auth/admin-users';
import { adminResetLink } from '../src/lib/server/auth/password-reset';
import { closeDatabase, db, openDatabaseForCli } from '../src/lib/server/db';
import { roles, users, type Role } from '../src/lib/server/db/schema';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-admin --email <email> --name <name>   Create an admin (password read from stdin or prompted)
  set-role --email <email> --role <learner|coach|admin>
  disable --email <email>                      Block log-in and end the user's sessions
  enable --email <email>
  set-extra-time --email <email> --multiplier <1-4>   Extra time on timed quizzes (1.5 = half as long again)
  list-users                                   Print every account with its role and status
  reset-link --email <email>                   Print a one-hour, single-use password reset link to pass on by hand
`;

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

function need(value: string | undefined, flag: string): string {
	if (!value) throw new UsageError(`Missing --${flag}.`);
	return value;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
	const { positionals, values } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			email: { type: 'string' },
			name: { type: 'string' },
			role: { type: 'string' },
			multiplier: { type: 'string' },
			help: { type: 'boolean' }
		}
	});
	const command = positionals[0];
	if (!command || values.help) {
		console.log(USAGE);
		return command || values.help ? 0 : 2;
	}
	switch (command) {
		case 'create-admin': {
			const email = need(values.email, 'email');
			const name = need(values.name, 'name');
			const password = await readPassword();
			await openDatabaseForCli();
			if (await findUserByEmail(email)) {
				console.error(`An account with ${email} already exists; use set-role to make it an admin.`);
				return 1;
			}
			const result = await createUser({ email, name, password, role: 'admin' });
			if (!result.ok) {
				console.error(`Could not create the admin: ${result.message}`);
				return 1;
			}
			console.log(`Created admin ${result.value.email}.`);
			return 0;
		}
		case 'set-role': {
			const email = need(values.email, 'email');
			const role = need(values.role, 'role');
			if (!roles.includes(role as Role))
				throw new UsageError(`--role must be one of: ${roles.join(', ')}.`);
			await openDatabaseForCli();
			const user = await setRole(email, role as Role);
			if (!user) return notFound(email);
			console.log(`${user.email} is now ${user.role}.`);
			return 0;
		}
		case 'disable':
		case 'enable': {
			const email = need(values.email, 'email');
			await openDatabaseForCli();
			const user = await setDisabled(email, command === 'disable');
			if (!user) return notFound(email);
			console.log(`${user.email} is ${command}d.`);
			return 0;
		}
		case 'set-extra-time': {
			const email = need(values.email, 'email');
			const multiplier = Number(need(values.multiplier, 'multiplier'));
			if (!(multiplier >= 1 && multiplier <= 4))
				throw new UsageError('--multiplier must be a number from 1 to 4.');
			await openDatabaseForCli();
			const user = await updateUser({ email }, { timeMultiplier: multiplier });
			if (!user) return notFound(email);
			console.log(`${user.email} now gets ×${multiplier} time on timed quizzes.`);
			return 0;
		}
		case 'list-users': {
			await openDatabaseForCli();
			const rows = await db().select().from(users).orderBy(desc(users.createdAt));
			for (const u of rows)
				console.log(`${u.email}\t${u.role}\t${u.disabledAt ? 'disabled' : 'active'}\t${u.name}`);
			return 0;
		}
		case 'reset-link': {
			// For sites without mail: the link is printed once; only its hash is stored.
			const email = need(values.email, 'email');
			await openDatabaseForCli();
			const made = await adminResetLink({ email }, null);
			if (!made) return notFound(email);
			console.log(
				`Reset link for ${made.email} (works once, until ${made.expiresAt.toISOString()}):`
			);
			console.log(made.url);
			return 0;
		}
		default:
			throw new UsageError(`Unknown command "${command}".`);
	}
}

function notFound(email: string): number {
	console.error(`No account with the email ${email}.`);
	return 1;
}

let code = 1;
try {
	code = await main(process.argv.slice(2));
} catch (error) {
	if (
		error instanceof UsageError ||
		(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
	) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		code = 2;
	} else {
		console.error(error);
	}
} finally {
	await closeDatabase();
}
process.exit(code);
