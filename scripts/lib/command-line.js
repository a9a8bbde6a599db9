// How every CLI in scripts/ reads its command line (node:util parseArgs, strict): `--help` or
// `-h` prints the command's usage and exits 0 before the command does anything (no database, no
// folder created); an unknown option, a stray argument or an option without its value is refused
// in one line with exit status 2, never a stack trace.
import { parseArgs } from 'node:util';

/**
 * Plain JavaScript so the .js scripts run by node itself can use it as well as the tsx ones.
 * @template {import('node:util').ParseArgsConfig} C
 * @param {string} usage printed for --help; its first line starts the one-line refusals
 * @param {C} config parseArgs' own config (options, allowPositionals, args)
 */
export function readCommandLine(usage, config) {
	const args = config.args ?? process.argv.slice(2);
	const end = args.indexOf('--');
	const before = end < 0 ? args : args.slice(0, end);
	if (before.includes('--help') || before.includes('-h')) {
		console.log(usage.trimEnd());
		process.exit(0);
	}
	const command = commandName(usage);
	// An option that takes a value followed by another option (`--out --timeout 5`) would take
	// "--timeout" as its value: a mistake, not a folder called "--timeout".
	for (const [name, option] of Object.entries(config.options ?? {})) {
		if (option.type !== 'string') continue;
		const at = before.indexOf(`--${name}`);
		const value = at < 0 ? undefined : before[at + 1];
		if (at >= 0 && (value === undefined || value.startsWith('-')))
			refuse(command, `--${name} needs a value`);
	}
	try {
		return parseArgs({ strict: true, ...config, args });
	} catch (error) {
		const e = /** @type {{ code?: string, message?: string }} */ (error);
		if (!e.code?.startsWith('ERR_PARSE_ARGS')) throw error;
		refuse(command, parseProblem(e.code, e.message ?? ''));
	}
}

/**
 * Stops with one line on stderr and exit status 2 (a usage mistake), for checks of an option's
 * value that only the command can make.
 * @param {string} usage the command's usage, as given to readCommandLine
 * @param {string} problem
 * @returns {never}
 */
export function refuseUsage(usage, problem) {
	return refuse(commandName(usage), problem);
}

/** @param {string} command @param {string} problem @returns {never} */
function refuse(command, problem) {
	console.error(`${command}: ${problem} (see ${command} -- --help).`);
	process.exit(2);
}

/** "npm run backup" from a usage text whose first line is "Usage: npm run backup -- …". */
function commandName(/** @type {string} */ usage) {
	const first = usage.trim().split('\n')[0] ?? '';
	return (
		/^Usage:\s*(npm (?:run [\w:-]+|start|test))/.exec(first)?.[1] ?? first.replace(/^Usage:\s*/, '')
	);
}

/** parseArgs' messages, cut to what the user typed wrong. */
function parseProblem(/** @type {string} */ code, /** @type {string} */ message) {
	const quoted = /'([^']+)'/.exec(message)?.[1];
	switch (code) {
		case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
			return `unknown option ${quoted ?? ''}`.trim();
		case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
			return `unexpected argument "${quoted ?? ''}"`;
		case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
			return (message.split('\n')[0] ?? message).replace(/\.$/, '');
		default:
			return message.split('\n')[0] ?? message;
	}
}
