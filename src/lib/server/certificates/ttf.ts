// A TrueType repair that lets pdf-lib subset today's Google Fonts builds.
//
// Fonts built with recent fontTools store glyph records unpadded (odd lengths) with a long
// (32-bit) 'loca' table. @pdf-lib/fontkit's subsetter copies the records as they are, then writes
// a short 'loca' whenever the subset is small; short offsets are stored halved, so every glyph
// after an odd-length one points one byte off and prints as nothing. Padding each record to a
// multiple of four bytes (what the OpenType spec recommends) avoids that, and changes no outline.

function u16(b: Uint8Array, at: number): number {
	return (b[at]! << 8) | b[at + 1]!;
}
function u32(b: Uint8Array, at: number): number {
	return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
function put32(b: Uint8Array, at: number, v: number): void {
	b[at] = v >>> 24;
	b[at + 1] = (v >>> 16) & 0xff;
	b[at + 2] = (v >>> 8) & 0xff;
	b[at + 3] = v & 0xff;
}
function checksum(b: Uint8Array, at: number, length: number): number {
	let sum = 0;
	for (let i = 0; i < length; i += 4) {
		const word =
			((b[at + i] ?? 0) << 24) |
			((b[at + i + 1] ?? 0) << 16) |
			((b[at + i + 2] ?? 0) << 8) |
			(b[at + i + 3] ?? 0);
		sum = (sum + (word >>> 0)) >>> 0;
	}
	return sum;
}
const align4 = (n: number) => (n + 3) & ~3;

interface Table {
	tag: string;
	data: Uint8Array;
}

/** Whether every glyph record in a TrueType font has even length (no repair needed). */
export function glyphRecordsAreEven(font: Uint8Array): boolean {
	const { offsets } = readGlyphs(font);
	return offsets.every((o) => o % 2 === 0);
}

function readTables(font: Uint8Array): Table[] {
	const count = u16(font, 4);
	const tables: Table[] = [];
	for (let i = 0; i < count; i++) {
		const rec = 12 + 16 * i;
		const tag = String.fromCharCode(...font.subarray(rec, rec + 4));
		const offset = u32(font, rec + 8);
		const length = u32(font, rec + 12);
		if (offset + length > font.length)
			throw new RangeError(`Font table ${tag} runs past the end of the file.`);
		tables.push({ tag, data: font.subarray(offset, offset + length) });
	}
	return tables;
}

function readGlyphs(font: Uint8Array) {
	const tables = readTables(font);
	const table = (tag: string) => {
		const t = tables.find((x) => x.tag === tag);
		if (!t) throw new RangeError(`Not a TrueType font with outlines: no '${tag}' table.`);
		return t;
	};
	const head = table('head');
	const loca = table('loca');
	const glyf = table('glyf');
	const numGlyphs = u16(table('maxp').data, 4);
	const long = u16(head.data, 50) === 1;
	const offsets: number[] = [];
	for (let i = 0; i <= numGlyphs; i++)
		offsets.push(long ? u32(loca.data, 4 * i) : u16(loca.data, 2 * i) * 2);
	return { tables, head, loca, glyf, offsets };
}

/**
 * The font with every glyph record padded to a multiple of 4 bytes and a long 'loca'; the same
 * bytes when nothing needs padding. Checksums are recomputed.
 */
export function padGlyphRecords(font: Uint8Array): Uint8Array {
	const { tables, head, glyf, offsets } = readGlyphs(font);
	if (offsets.every((o) => o % 4 === 0)) return font;

	const sizes = offsets.slice(1).map((end, i) => end - offsets[i]!);
	const newGlyf = new Uint8Array(sizes.reduce((sum, s) => sum + align4(s), 0));
	const newLoca = new Uint8Array(4 * offsets.length);
	let at = 0;
	sizes.forEach((size, i) => {
		put32(newLoca, 4 * i, at);
		const start = offsets[i]!;
		newGlyf.set(glyf.data.subarray(start, start + size), at);
		at += align4(size);
	});
	put32(newLoca, 4 * sizes.length, at);
	const newHead = new Uint8Array(head.data);
	newHead[50] = 0;
	newHead[51] = 1; // indexToLocFormat: long
	put32(newHead, 8, 0); // checkSumAdjustment, set below

	const replaced = new Map([
		['glyf', newGlyf],
		['loca', newLoca],
		['head', newHead]
	]);
	const out = tables.map((t) => ({ tag: t.tag, data: replaced.get(t.tag) ?? t.data }));

	const headerLength = 12 + 16 * out.length;
	const total = out.reduce((sum, t) => sum + align4(t.data.length), headerLength);
	const bytes = new Uint8Array(total);
	bytes.set(font.subarray(0, 12)); // sfnt version and search fields: table count is unchanged
	let offset = headerLength;
	let headOffset = 0;
	out.forEach((t, i) => {
		const rec = 12 + 16 * i;
		for (let k = 0; k < 4; k++) bytes[rec + k] = t.tag.charCodeAt(k);
		bytes.set(t.data, offset);
		put32(bytes, rec + 4, checksum(bytes, offset, t.data.length));
		put32(bytes, rec + 8, offset);
		put32(bytes, rec + 12, t.data.length);
		if (t.tag === 'head') headOffset = offset;
		offset += align4(t.data.length);
	});
	put32(bytes, headOffset + 8, (0xb1b0afba - checksum(bytes, 0, bytes.length)) >>> 0);
	return bytes;
}
