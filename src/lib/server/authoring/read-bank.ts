// A question bank file as bytes → its questions and reports, whatever its format: the one entry
// the import command and the upload page share. Text that is not UTF-8 is refused with the line
// of the first bad byte, before any parsing.
import { parseGift } from './gift';
import { parseMoodleXml } from './moodle-xml';
import type { Bank } from './question-bank';

export type BankFormat = 'gift' | 'moodle-xml';

/** The format a file name says, or undefined. */
export function formatOfName(name: string): BankFormat | undefined {
	if (/\.(gift|txt)$/i.test(name)) return 'gift';
	if (/\.xml$/i.test(name)) return 'moodle-xml';
	return undefined;
}

/** The line of the first byte that is not part of valid UTF-8, or undefined when all is valid. */
export function firstBadUtf8Line(bytes: Uint8Array): number | undefined {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		return undefined;
	} catch {
		// Find where: decode growing prefixes line by line (only on the error path).
	}
	let line = 1;
	let start = 0;
	const decoder = new TextDecoder('utf-8', { fatal: true });
	for (let i = 0; i <= bytes.length; i++) {
		if (i === bytes.length || bytes[i] === 0x0a) {
			try {
				decoder.decode(bytes.subarray(start, i));
			} catch {
				return line;
			}
			line++;
			start = i + 1;
		}
	}
	return line;
}

export function readBank(bytes: Uint8Array, format: BankFormat): Bank {
	const bad = firstBadUtf8Line(bytes);
	if (bad !== undefined)
		return {
			questions: [],
			reports: [
				{
					line: bad,
					kind: 'error',
					message: 'the file is not UTF-8 text; save it as UTF-8 (Moodle exports UTF-8)'
				}
			]
		};
	const text = new TextDecoder('utf-8').decode(bytes);
	return format === 'gift' ? parseGift(text) : parseMoodleXml(text);
}

/** "file:line: skipped: why", as the import command prints each report. */
export const formatReport = (file: string, r: Bank['reports'][number]) =>
	`${file}:${r.line}: ${r.kind}: ${r.message}`;
