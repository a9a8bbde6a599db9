// CSV for spreadsheet programs: a byte-order mark so names in any script open correctly, every
// cell quoted, and cells starting with = + - @ (or tab/CR, which some programs skip) prefixed
// with an apostrophe so a learner's name can never run as a formula (CSV injection).
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
	const safe = FORMULA.test(value) ? `'${value}` : value;
	return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
	return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
