// The printable certificate: one landscape page, A4, with everything inside the area A4 and
// US Letter have in common (792 × 595 pt, centred), less a printer margin, so it prints whole on
// either paper at 100 % and needs no "fit to page".
//
// Text is set in Noto Sans (SIL Open Font License 1.1; Latin, Greek and Cyrillic in full), embedded
// as a subset through @pdf-lib/fontkit. Every character is checked against the font before
// anything is drawn: a character the font lacks is an UnsupportedCharactersError, never a blank.
// The QR code is drawn as vector squares, so it stays sharp at any print size.
//
// Server-only (reads the font files from node_modules); lives under $lib/server for that reason.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as fontkitModule from '@pdf-lib/fontkit';
import { createHash } from 'node:crypto';
import { PDFDocument, PDFName, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import QRCode from 'qrcode';
import { padGlyphRecords } from './ttf';

type Fontkit = typeof fontkitModule;
type FontkitFont = ReturnType<Fontkit['create']>;
// The package's CommonJS build arrives as a default export under Node, its ES build as one too.
const fontkit: Fontkit =
	(fontkitModule as unknown as { default?: Fontkit }).default ?? fontkitModule;

const require = createRequire(import.meta.url);

const FONT_FILES = {
	regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
	semibold: '@expo-google-fonts/noto-sans/600SemiBold/NotoSans_600SemiBold.ttf'
} as const;
type FontName = keyof typeof FONT_FILES;

/** The font family printed on certificates, and its licence (for the README and the admin page). */
export const CERTIFICATE_FONT = { family: 'Noto Sans', licence: 'SIL Open Font License 1.1' };

interface LoadedFont {
	bytes: Uint8Array;
	font: FontkitFont;
}
const loaded = new Map<FontName, LoadedFont>();

function loadFont(name: FontName): LoadedFont {
	let f = loaded.get(name);
	if (!f) {
		// Padded so that pdf-lib's subsetter keeps every glyph (see ttf.ts).
		const bytes = padGlyphRecords(new Uint8Array(readFileSync(require.resolve(FONT_FILES[name]))));
		f = { bytes, font: fontkit.create(bytes) };
		loaded.set(name, f);
	}
	return f;
}

/** A text field holds characters that the certificate font cannot print. */
export class UnsupportedCharactersError extends Error {
	override name = 'UnsupportedCharactersError';
	constructor(
		/** Which input, e.g. "holderName". */
		readonly field: string,
		/** The characters, each once, in order of appearance. */
		readonly characters: string[]
	) {
		const list = characters
			.map((c) => `“${c}” (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
			.join(', ');
		super(
			`The certificate font (${CERTIFICATE_FONT.family}) cannot print ${characters.length === 1 ? 'this character' : 'these characters'} in ${field}: ${list}. ` +
				'Use a spelling in Latin, Greek or Cyrillic letters for the certificate.'
		);
	}
}

/** Collapses runs of white space, trims, and composes accents (NFC), as the PDF prints it. */
function clean(text: string): string {
	return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

function missingIn(text: string, fonts: FontName[]): string[] {
	const missing = new Set<string>();
	for (const ch of clean(text)) {
		const cp = ch.codePointAt(0)!;
		// Control and format characters (including zero-width joiners) would print as nothing.
		if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(ch)) missing.add(ch);
		else if (!fonts.every((f) => loadFont(f).font.hasGlyphForCodePoint(cp))) missing.add(ch);
	}
	return [...missing];
}

/**
 * The characters of `text` the certificate cannot print (empty when it can print all of them).
 * For the account page: check a certificate name when it is set, not when the PDF is made.
 */
export function unsupportedCharacters(text: string): string[] {
	return missingIn(text, ['regular', 'semibold']);
}

export interface CertificatePdfInput {
	holderName: string;
	courseTitle: string;
	courseVersion: number | string;
	completedAt: Date;
	/** Final exam score, 0–100. */
	scorePercent: number;
	/** The course's estimated study time (course.yaml estimatedMinutes). */
	estimatedMinutes?: number;
	issuerName: string;
	issuerUrl: string;
	verificationUrl: string;
	verificationCode: string;
	/** When this PDF was issued (the document's creation date); completedAt by default. */
	issuedAt?: Date;
	/** For the dates printed; UTC by default. */
	timeZone?: string;
}

const PAGE = { width: 841.89, height: 595.28 }; // A4 landscape
const COMMON_WIDTH = 792; // US Letter landscape is 792 × 612: the common area is 792 × 595.28
const PRINT_MARGIN = 30;
const SAFE = {
	left: (PAGE.width - COMMON_WIDTH) / 2 + PRINT_MARGIN,
	right: PAGE.width - (PAGE.width - COMMON_WIDTH) / 2 - PRINT_MARGIN,
	bottom: PRINT_MARGIN,
	top: PAGE.height - PRINT_MARGIN
};
/** Where everything is drawn, in PDF points from the lower left; exported for the tests. */
export const CERTIFICATE_LAYOUT = { page: PAGE, safeArea: SAFE };

const INK = rgb(0.11, 0.15, 0.24);
const MUTED = rgb(0.36, 0.4, 0.47);
const ACCENT = rgb(0.04, 0.42, 0.4);

function formatDate(date: Date, timeZone: string): string {
	return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone }).format(date);
}

/** "About 45 minutes", "About 2½ hours" (to the nearest half hour). */
export function formatStudyTime(minutes: number): string {
	if (minutes < 60) return `About ${Math.max(5, Math.round(minutes / 5) * 5)} minutes of study`;
	const halves = Math.round(minutes / 30);
	const whole = Math.floor(halves / 2);
	const text = halves % 2 ? `${whole === 0 ? '' : whole}½` : String(whole);
	return `About ${text} ${halves === 2 ? 'hour' : 'hours'} of study`;
}

interface Fitted {
	lines: string[];
	size: number;
}

/** The width of `text` at size 1 (widths scale with the size). */
function unitWidth(text: string, font: PDFFont): number {
	return font.widthOfTextAtSize(text, 1);
}

/** The split into two lines (at a space, or after '/' in URLs) whose wider line is narrowest. */
function twoLines(text: string, font: PDFFont): { lines: string[]; unit: number } | null {
	let best: { lines: string[]; unit: number } | null = null;
	for (const m of text.matchAll(/[ /]/g)) {
		const at = m.index + (m[0] === '/' ? 1 : 0);
		const lines = [text.slice(0, at).trim(), text.slice(at).trim()];
		if (!lines[0] || !lines[1]) continue;
		const unit = Math.max(unitWidth(lines[0], font), unitWidth(lines[1], font));
		if (!best || unit < best.unit) best = { lines, unit };
	}
	return best;
}

/** Rounds a size down to half points, at most `max`. */
const sizeFor = (width: number, unit: number, max: number) =>
	Math.min(max, Math.floor((2 * width) / unit) / 2);

/**
 * The largest size from `max` down to `min` at which the text fits `width` on one line; else two
 * lines, down to 80 % of `min`; else a RangeError.
 */
function fit(
	text: string,
	font: PDFFont,
	max: number,
	min: number,
	width: number,
	field: string
): Fitted {
	const tooLong = new RangeError(`The ${field} is too long to print on the certificate.`);
	if (text.length > 400) throw tooLong;
	const one = sizeFor(width, unitWidth(text, font), max);
	if (one >= min) return { lines: [text], size: one };
	const split = twoLines(text, font);
	if (split) {
		const two = sizeFor(width, split.unit, max);
		if (two >= min * 0.8) return { lines: split.lines, size: two };
	}
	throw tooLong;
}

function drawCentered(
	page: PDFPage,
	text: string,
	y: number,
	font: PDFFont,
	size: number,
	color: RGB
): void {
	const width = font.widthOfTextAtSize(text, size);
	page.drawText(text, { x: (PAGE.width - width) / 2, y, size, font, color });
}

/** Draws the QR code for `url` as vector modules, `size` points wide, lower-left corner at x, y. */
function drawQr(page: PDFPage, url: string, x: number, y: number, size: number): void {
	const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size;
	const cell = size / n;
	// One rectangle per run of dark modules in a row: fewer seams and a smaller file.
	let path = '';
	for (let row = 0; row < n; row++) {
		for (let col = 0; col < n;) {
			if (!qr.modules.get(row, col)) {
				col++;
				continue;
			}
			let run = 1;
			while (col + run < n && qr.modules.get(row, col + run)) run++;
			path += `M${col} ${row}h${run}v1h-${run}z`;
			col += run;
		}
	}
	// drawSvgPath puts the SVG origin at (x, y) with y growing downwards; scale turns modules into
	// points.
	page.drawSvgPath(path, { x, y: y + size, scale: cell, color: INK, borderWidth: 0 });
}

/**
 * The certificate as a PDF (bytes). Throws UnsupportedCharactersError when a text cannot be
 * printed in full, and RangeError when a text is too long for its place.
 */
export async function certificatePdf(input: CertificatePdfInput): Promise<Uint8Array> {
	const timeZone = input.timeZone ?? 'UTC';
	const holderName = clean(input.holderName);
	const courseTitle = clean(input.courseTitle);
	const issuerName = clean(input.issuerName);
	if (!holderName) throw new TypeError('The certificate needs the holder’s name.');
	if (!courseTitle) throw new TypeError('The certificate needs the course title.');
	const score = Math.round(input.scorePercent * 10) / 10;
	if (!Number.isFinite(score) || score < 0 || score > 100)
		throw new RangeError('The exam score must be between 0 and 100.');

	const details = [
		`Version ${input.courseVersion}`,
		`Completed ${formatDate(input.completedAt, timeZone)}`,
		`Final exam ${score}%`,
		...(input.estimatedMinutes ? [formatStudyTime(input.estimatedMinutes)] : [])
	].join('   ·   ');

	const texts: [string, string, FontName[]][] = [
		['holderName', holderName, ['semibold']],
		['courseTitle', courseTitle, ['semibold']],
		['issuerName', issuerName, ['regular', 'semibold']],
		['issuerUrl', input.issuerUrl, ['regular']],
		['verificationUrl', input.verificationUrl, ['regular']],
		['verificationCode', input.verificationCode, ['semibold']],
		['courseVersion', details, ['regular']]
	];
	for (const [field, text, fonts] of texts) {
		const missing = missingIn(text, fonts);
		if (missing.length) throw new UnsupportedCharactersError(field, missing);
	}

	const doc = await PDFDocument.create();
	doc.registerFontkit(fontkit);
	const allText = texts.map(([, text]) => text).join('\n');
	const embed = (name: FontName) =>
		doc.embedFont(loadFont(name).bytes, {
			subset: true,
			// fontkit's 'ccmp' splits ị, ọ and other letters with a dot below into a base letter and
			// a combining mark; a glyph maps to one text in the PDF, so ị would extract as "i". The
			// font has the precomposed letters: keep them.
			features: { ccmp: false },
			customName: subsetFontName(
				loadFont(name).font.postscriptName ?? `NotoSans-${name}`,
				name,
				allText
			)
		});
	const regular = await embed('regular');
	const semibold = await embed('semibold');
	const page = doc.addPage([PAGE.width, PAGE.height]);

	// Frame: a rule and a hairline inside the safe area. A stroke is centred on its path, so the
	// path runs half the rule's width inside the edge: the ink ends exactly at the safe area.
	const RULE = 2;
	const frame = {
		x: SAFE.left + RULE / 2,
		y: SAFE.bottom + RULE / 2,
		width: SAFE.right - SAFE.left - RULE,
		height: SAFE.top - SAFE.bottom - RULE
	};
	page.drawRectangle({ ...frame, borderColor: ACCENT, borderWidth: RULE });
	page.drawRectangle({
		x: frame.x + 7,
		y: frame.y + 7,
		width: frame.width - 14,
		height: frame.height - 14,
		borderColor: ACCENT,
		borderWidth: 0.5,
		borderOpacity: 0.6
	});

	const textWidth = frame.width - 120;
	const issuerFit = fit(issuerName, regular, 14, 9, textWidth, 'issuer name');
	drawCentered(page, issuerFit.lines.join(' '), 498, regular, issuerFit.size, ACCENT);
	drawCentered(page, 'Certificate of Completion', 442, semibold, 34, INK);
	drawCentered(page, 'This certifies that', 402, regular, 12, MUTED);

	// The name: one line as large as fits, else two.
	const name = fit(holderName, semibold, 34, 18, textWidth, 'name');
	const nameLineHeight = name.size * 1.2;
	let y = name.lines.length === 1 ? 354 : 354 + nameLineHeight / 2;
	for (const line of name.lines) {
		drawCentered(page, line, y, semibold, name.size, INK);
		y -= nameLineHeight;
	}
	const ruleY = y + nameLineHeight - 14;
	page.drawLine({
		start: { x: PAGE.width / 2 - 200, y: ruleY },
		end: { x: PAGE.width / 2 + 200, y: ruleY },
		thickness: 0.75,
		color: ACCENT
	});

	drawCentered(page, 'has completed the course', ruleY - 26, regular, 12, MUTED);
	const title = fit(courseTitle, semibold, 22, 13, textWidth, 'course title');
	y = ruleY - 58;
	for (const line of title.lines) {
		drawCentered(page, line, y, semibold, title.size, INK);
		y -= title.size * 1.25;
	}
	const detailFit = fit(details, regular, 11, 8, textWidth, 'details line');
	drawCentered(page, detailFit.lines.join(' '), y - 8, regular, detailFit.size, INK);

	// Bottom left: the issuer.
	const left = frame.x + 34;
	const bottom = frame.y + 40;
	page.drawText('Issued by', { x: left, y: bottom + 52, size: 9, font: regular, color: MUTED });
	const issuerLine = fit(issuerName, semibold, 12, 8, 210, 'issuer name');
	page.drawText(issuerLine.lines.join(' '), {
		x: left,
		y: bottom + 34,
		size: issuerLine.size,
		font: semibold,
		color: INK
	});
	const issuerUrl = fit(input.issuerUrl, regular, 10, 7, 210, 'issuer URL');
	issuerUrl.lines.forEach((line, i) =>
		page.drawText(line, {
			x: left,
			y: bottom + 18 - i * issuerUrl.size * 1.25,
			size: issuerUrl.size,
			font: regular,
			color: MUTED
		})
	);

	// Bottom right: the QR code, and beside it how to verify by hand.
	const qrSize = 100;
	const qrX = frame.x + frame.width - 30 - qrSize;
	drawQr(page, input.verificationUrl, qrX, bottom - 8, qrSize);
	const textRight = qrX - 14;
	const rightText = (text: string, yy: number, font: PDFFont, size: number, color: RGB) =>
		page.drawText(text, {
			x: textRight - font.widthOfTextAtSize(text, size),
			y: yy,
			size,
			font,
			color
		});
	rightText('Verify this certificate', bottom + 52, regular, 9, MUTED);
	const code = fit(input.verificationCode, semibold, 12, 9, 320, 'verification code');
	code.lines.forEach((line, i) =>
		rightText(line, bottom + 34 + (code.lines.length - 1 - i) * 12, semibold, code.size, INK)
	);
	const url = fit(input.verificationUrl, regular, 8.5, 7, 320, 'verification URL');
	url.lines.forEach((line, i) =>
		rightText(line, bottom + 18 - i * url.size * 1.25, regular, url.size, MUTED)
	);

	const docTitle = `Certificate of completion: ${courseTitle} — ${holderName}`;
	const subject = `${holderName} completed “${courseTitle}” (version ${input.courseVersion}). Verify at ${input.verificationUrl}`;
	doc.setTitle(docTitle, { showInWindowTitleBar: true });
	doc.setAuthor(issuerName);
	doc.setSubject(subject);
	doc.setKeywords(['certificate', courseTitle, input.verificationCode]);
	doc.setCreator(issuerName);
	doc.setProducer('pdf-lib');
	doc.setLanguage('en');
	const created = input.issuedAt ?? input.completedAt;
	doc.setCreationDate(created);
	doc.setModificationDate(created);
	// The same facts as XMP (ISO 16684-1), which archives and PDF/A tools read instead of the Info
	// dictionary. Left uncompressed, as metadata streams should be.
	const xmp = new TextEncoder().encode(
		xmpPacket({ title: docTitle, creator: issuerName, description: subject, created })
	);
	const metadata = doc.context.stream(xmp, {
		Type: 'Metadata',
		Subtype: 'XML',
		Length: xmp.length
	});
	doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));

	return doc.save();
}

/**
 * The name of an embedded subset: six capital letters, a '+', and the font's PostScript name (ISO
 * 32000-1 §9.6.4). The tag is derived from the text printed, so one certificate always gets the
 * same names and different subsets get different tags.
 */
export function subsetFontName(postscriptName: string, variant: string, text: string): string {
	const digest = createHash('sha256').update(`${variant}\n${text}`).digest();
	const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
	return `${tag}+${postscriptName}`;
}

const xml = (text: string) =>
	text.replace(
		/[<>&"']/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!
	);

/** An XMP packet with the document's title, creator, description and dates. */
function xmpPacket(input: { title: string; creator: string; description: string; created: Date }) {
	const date = input.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
	return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(input.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xml(input.creator)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(input.description)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
   <xmp:CreatorTool>${xml(input.creator)}</xmp:CreatorTool>
   <pdf:Producer>pdf-lib</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
