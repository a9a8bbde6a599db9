import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkitModule from '@pdf-lib/fontkit';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { newVerificationCode } from '../../src/lib/server/certificates/codes';
import {
	CERTIFICATE_LAYOUT,
	certificatePdf,
	formatStudyTime,
	UnsupportedCharactersError,
	unsupportedCharacters,
	type CertificatePdfInput
} from '../../src/lib/server/certificates/pdf';
import { glyphRecordsAreEven, padGlyphRecords } from '../../src/lib/server/certificates/ttf';

type Fontkit = typeof fontkitModule;
const fontkit: Fontkit =
	(fontkitModule as unknown as { default?: Fontkit }).default ?? fontkitModule;

function input(overrides: Partial<CertificatePdfInput> = {}): CertificatePdfInput {
	const code = newVerificationCode();
	return {
		holderName: 'Zoë Łukasz-Ødegård',
		courseTitle: 'Hip flexor and psoas pain in runners',
		courseVersion: 1,
		completedAt: new Date('2025-03-12T10:00:00Z'),
		scorePercent: 92,
		estimatedMinutes: 150,
		issuerName: 'Stride Academy',
		issuerUrl: 'https://learn.example.org/',
		verificationUrl: `https://learn.example.org/verify/${code}`,
		verificationCode: code,
		...overrides
	};
}

interface TextItem {
	str: string;
	x: number;
	y: number;
	width: number;
}

/** The text of the first page as pdf.js reads it (items with positions) and the metadata. */
async function readPdf(bytes: Uint8Array) {
	const doc = await getDocument({
		data: bytes.slice(),
		isEvalSupported: false,
		useSystemFonts: false
	}).promise;
	const page = await doc.getPage(1);
	const [x0, y0, x1, y1] = page.view as [number, number, number, number];
	const content = await page.getTextContent();
	const items: TextItem[] = [];
	for (const item of content.items)
		if ('str' in item && item.str.trim())
			items.push({
				str: item.str,
				x: item.transform[4] as number,
				y: item.transform[5] as number,
				width: item.width
			});
	const info = (await doc.getMetadata()).info as Record<string, unknown>;
	await doc.destroy();
	return {
		items,
		text: items.map((i) => i.str).join('\n'),
		info,
		size: { width: x1 - x0, height: y1 - y0 }
	};
}

/** Every indirect dictionary of a PDF (fonts and descriptors included). */
function dicts(doc: PDFDocument): PDFDict[] {
	return doc.context
		.enumerateIndirectObjects()
		.map(([, object]) => object)
		.filter((o): o is PDFDict => o instanceof PDFDict);
}

describe('the PDF file, as ISO 32000 and archives read it', () => {
	it('names every embedded subset font with a six-letter tag: ABCDEF+NotoSans-…', async () => {
		const doc = await PDFDocument.load(await certificatePdf(input()));
		const names = dicts(doc).flatMap((d) =>
			[d.get(PDFName.of('BaseFont')), d.get(PDFName.of('FontName'))]
				.filter((n): n is PDFName => n instanceof PDFName)
				.map((n) => n.decodeText())
		);
		expect(names.length).toBeGreaterThanOrEqual(6); // Type0, CIDFont and descriptor, twice
		for (const name of names) expect(name).toMatch(/^[A-Z]{6}\+NotoSans-(Regular|SemiBold)$/);
		expect(new Set(names.map((n) => n.slice(0, 6))).size).toBe(2);
	});

	it('carries XMP metadata with the title', async () => {
		const i = input({ holderName: 'Ana <Ruiz> & Co' });
		const doc = await PDFDocument.load(await certificatePdf(i));
		const stream = doc.context.lookup(doc.catalog.get(PDFName.of('Metadata')));
		expect(stream).toBeInstanceOf(PDFRawStream);
		const raw = stream as PDFRawStream;
		expect(raw.dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('XML'));
		const xmp = new TextDecoder().decode(raw.getContents());
		expect(xmp).toContain(
			'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Certificate of completion: Hip flexor and psoas pain in runners — Ana &lt;Ruiz&gt; &amp; Co</rdf:li></rdf:Alt></dc:title>'
		);
		expect(xmp).toContain('<xmp:CreateDate>2025-03-12T10:00:00Z</xmp:CreateDate>');
	});

	it.each([
		['Vietnamese', 'Nguyễn Thị Ngọc Ánh Lịch'],
		['Latin with diacritics', 'Zoë Łukasz-Ødegård Çağrı Şahin'],
		['Greek', 'Ἀλέξανδρος Παπαδόπουλος'],
		['Cyrillic', 'Юлия Щербакова-Ёлкина']
	])('extracts %s text as it was written: %s', async (_script, holderName) => {
		const pdf = await readPdf(await certificatePdf(input({ holderName })));
		const lines = pdf.items.map((item) => item.str.normalize('NFC'));
		expect(lines).toContain(holderName);
	});

	it('keeps all ink, the frame’s stroke included, inside the Letter-safe area', async () => {
		const doc = await PDFDocument.load(await certificatePdf(input()));
		const page = doc.getPages()[0]!;
		const contents = doc.context.lookup(page.node.get(PDFName.of('Contents')));
		const streams = Array.isArray((contents as { asArray?: () => unknown[] }).asArray?.())
			? (contents as unknown as { asArray: () => unknown[] })
					.asArray()
					.map((r) => doc.context.lookup(r as never))
			: [contents];
		const ops = streams
			.map((s) => new TextDecoder().decode(decodePDFRawStream(s as PDFRawStream).decode()))
			.join('\n');
		const { safeArea } = CERTIFICATE_LAYOUT;
		// Every path point, in page space (pdf-lib draws in translated and scaled coordinate
		// systems), widened by half the line width in force.
		type Matrix = [number, number, number, number, number, number];
		const times = (m: Matrix, n: Matrix): Matrix => [
			m[0] * n[0] + m[1] * n[2],
			m[0] * n[1] + m[1] * n[3],
			m[2] * n[0] + m[3] * n[2],
			m[2] * n[1] + m[3] * n[3],
			m[4] * n[0] + m[5] * n[2] + n[4],
			m[4] * n[1] + m[5] * n[3] + n[5]
		];
		let ctm: Matrix = [1, 0, 0, 1, 0, 0];
		let width = 1;
		const saved: [Matrix, number][] = [];
		let checked = 0;
		for (const line of ops.split('\n').map((l) => l.trim())) {
			if (line === 'q') saved.push([ctm, width]);
			else if (line === 'Q') [ctm, width] = saved.pop()!;
			else if (/ cm$/.test(line))
				ctm = times(line.split(' ').slice(0, 6).map(Number) as Matrix, ctm);
			else if (/^[\d.]+ w$/.test(line)) width = Number(line.split(' ')[0]);
			const points = [...line.matchAll(/(-?[\d.]+) (-?[\d.]+)(?= (?:-?[\d.]+ -?[\d.]+ )*[mlc]$)/g)];
			if (!/ [mlc]$/.test(line)) continue;
			const half = (width * Math.hypot(ctm[0], ctm[1])) / 2;
			for (const p of points) {
				const [u, v] = [Number(p[1]), Number(p[2])];
				const x = ctm[0] * u + ctm[2] * v + ctm[4];
				const y = ctm[1] * u + ctm[3] * v + ctm[5];
				checked++;
				expect(x - half, line).toBeGreaterThanOrEqual(safeArea.left - 1e-6);
				expect(x + half, line).toBeLessThanOrEqual(safeArea.right + 1e-6);
				expect(y - half, line).toBeGreaterThanOrEqual(safeArea.bottom - 1e-6);
				expect(y + half, line).toBeLessThanOrEqual(safeArea.top + 1e-6);
			}
		}
		expect(checked).toBeGreaterThan(4);
	});
});

describe('certificatePdf', () => {
	it.each(['Zoë Łukasz-Ødegård', 'Мария Иванова', 'Ελένη'])(
		'prints the name %s, the course, the result and the code as real text',
		async (holderName) => {
			const i = input({ holderName });
			const pdf = await readPdf(await certificatePdf(i));
			const lines = pdf.items.map((item) => item.str);
			expect(lines).toContain(holderName);
			expect(lines).toContain(i.verificationCode);
			expect(lines).toContain(i.verificationUrl);
			expect(lines).toContain('Hip flexor and psoas pain in runners');
			expect(pdf.text).toContain('Version 1');
			expect(pdf.text).toContain('Completed 12 March 2025');
			expect(pdf.text).toContain('Final exam 92%');
			expect(pdf.text).toContain('About 2½ hours of study');
			expect(lines).toContain('Stride Academy');
			expect(pdf.info).toMatchObject({
				Title: `Certificate of completion: Hip flexor and psoas pain in runners — ${holderName}`,
				Author: 'Stride Academy',
				Language: 'en'
			});
			expect(pdf.info.Subject).toContain(i.verificationUrl);
			expect(pdf.info.CreationDate).toBe('D:20250312100000Z');
		}
	);

	it('is landscape A4 with every text inside the area A4 and US Letter share', async () => {
		const pdf = await readPdf(
			await certificatePdf(
				input({
					holderName: 'Maximiliane Wilhelmina von Hohenzollern-Sigmaringen Παπαδοπούλου-Καραγιάννη',
					courseTitle:
						'A deliberately long course title about hip flexor and psoas pain in runners and walkers'
				})
			)
		);
		expect(pdf.size.width).toBeCloseTo(841.89, 1);
		expect(pdf.size.height).toBeCloseTo(595.28, 1);
		const { safeArea } = CERTIFICATE_LAYOUT;
		// Letter landscape is 792 × 612 pt: centred on it, A4 loses 24.95 pt left and right.
		expect(safeArea.left).toBeGreaterThanOrEqual((841.89 - 792) / 2 + 18);
		expect(safeArea.right).toBeLessThanOrEqual(841.89 - (841.89 - 792) / 2 - 18);
		for (const item of pdf.items) {
			expect(item.x, item.str).toBeGreaterThanOrEqual(safeArea.left);
			expect(item.x + item.width, item.str).toBeLessThanOrEqual(safeArea.right);
			expect(item.y, item.str).toBeGreaterThanOrEqual(safeArea.bottom);
			expect(item.y, item.str).toBeLessThanOrEqual(safeArea.top);
		}
		// A long name goes on two lines rather than off the page.
		expect(pdf.text).toContain('Maximiliane Wilhelmina von Hohenzollern-Sigmaringen');
		expect(pdf.text).toContain('Παπαδοπούλου-Καραγιάννη');
	});

	it('embeds a small subset of the font in which every glyph still has its outline', async () => {
		const bytes = await certificatePdf(
			input({ holderName: 'Zoë Łukasz-Ødegård Мария Иванова Ελένη' })
		);
		expect(bytes.length).toBeLessThan(60_000);
		const doc = await PDFDocument.load(bytes);
		const fontFiles = doc.context
			.enumerateIndirectObjects()
			.map(([, object]) => object)
			.filter(
				(o): o is PDFDict =>
					o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')
			)
			.map((descriptor) => doc.context.lookup(descriptor.get(PDFName.of('FontFile2'))));
		expect(fontFiles).toHaveLength(2);
		for (const stream of fontFiles) {
			expect(stream).toBeInstanceOf(PDFRawStream);
			const font = fontkit.create(decodePDFRawStream(stream as PDFRawStream).decode());
			let empty = 0;
			for (let id = 1; id < font.numGlyphs; id++) {
				const glyph = font.getGlyph(id);
				if (glyph.path.toSVG() === '') empty++;
				else expect(glyph.bbox.width, `glyph ${id}`).toBeGreaterThan(0);
			}
			expect(empty).toBeLessThanOrEqual(1); // the space
		}
	});

	it('names the characters the font lacks instead of dropping them', async () => {
		for (const [holderName, missing] of [
			['Anna 李', ['李']],
			['Zoë 🏃‍♀️ Runner', ['🏃', '\u200d']],
			['Ann\u0007e', ['\u0007']]
		] as const) {
			const attempt = certificatePdf(input({ holderName }));
			await expect(attempt).rejects.toThrow(UnsupportedCharactersError);
			const error = (await attempt.catch((e: unknown) => e)) as UnsupportedCharactersError;
			expect(error.field).toBe('holderName');
			expect(error.characters).toEqual(expect.arrayContaining([...missing]));
			expect(error.characters).not.toContain('Z');
			expect(error.message).toContain('U+');
		}
		await expect(certificatePdf(input({ courseTitle: 'Laufen 跑步' }))).rejects.toMatchObject({
			name: 'UnsupportedCharactersError',
			field: 'courseTitle',
			characters: ['跑', '步']
		});
	});

	it('lets a name be checked when it is set', () => {
		expect(unsupportedCharacters('Zoë Łukasz-Ødegård')).toEqual([]);
		expect(unsupportedCharacters('Мария Иванова')).toEqual([]);
		expect(unsupportedCharacters('Ελένη')).toEqual([]);
		expect(unsupportedCharacters('Nguyễn Thị Ánh')).toEqual([]);
		expect(unsupportedCharacters('Zoe\u0308')).toEqual([]); // composed to ë
		expect(unsupportedCharacters('山田 太郎')).toEqual(['山', '田', '太', '郎']);
		expect(unsupportedCharacters('Bob 😀')).toEqual(['😀']);
	});

	it('refuses a text too long for its place, and impossible scores', async () => {
		await expect(certificatePdf(input({ courseTitle: 'Long title '.repeat(40) }))).rejects.toThrow(
			RangeError
		);
		await expect(certificatePdf(input({ scorePercent: 120 }))).rejects.toThrow(RangeError);
		await expect(certificatePdf(input({ holderName: '   ' }))).rejects.toThrow(TypeError);
	});

	it('writes study time in words', () => {
		expect(formatStudyTime(20)).toBe('About 20 minutes of study');
		expect(formatStudyTime(60)).toBe('About 1 hour of study');
		expect(formatStudyTime(150)).toBe('About 2½ hours of study');
		expect(formatStudyTime(185)).toBe('About 3 hours of study');
	});
});

describe('padGlyphRecords', () => {
	it('pads the Noto Sans glyph records without changing any outline', () => {
		const require = createRequire(import.meta.url);
		const original = new Uint8Array(
			readFileSync(
				require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')
			)
		);
		expect(glyphRecordsAreEven(original)).toBe(false); // the reason this exists
		const padded = padGlyphRecords(original);
		expect(glyphRecordsAreEven(padded)).toBe(true);
		expect(padGlyphRecords(padded)).toBe(padded);
		const [a, b] = [fontkit.create(original), fontkit.create(padded)];
		expect(b.numGlyphs).toBe(a.numGlyphs);
		for (let id = 0; id < a.numGlyphs; id += 7)
			expect(b.getGlyph(id).path.toSVG(), `glyph ${id}`).toBe(a.getGlyph(id).path.toSVG());
	});
});
