// The intrinsic size of a course image, so that pages can reserve its space before it loads:
// an SVG's viewBox (or width and height), a PNG's header. Other formats get no size.
import fs from 'node:fs';

export interface ImageSize {
	width: number;
	height: number;
}

export function imageSize(file: string): ImageSize | null {
	try {
		if (/\.svg$/i.test(file)) return svgSize(fs.readFileSync(file, 'utf8'));
		if (/\.png$/i.test(file)) return pngSize(fs.readFileSync(file));
	} catch {
		/* unreadable: the loader reports missing files itself */
	}
	return null;
}

export function svgSize(source: string): ImageSize | null {
	const tag = /<svg\b[^>]*>/i.exec(source)?.[0];
	if (!tag) return null;
	const attr = (name: string) =>
		new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
	const [, , boxWidth = 0, boxHeight = 0] = (attr('viewBox') ?? '')
		.trim()
		.split(/[\s,]+/)
		.map(Number);
	if (boxWidth > 0 && boxHeight > 0) return size(boxWidth, boxHeight);
	const width = Number.parseFloat(attr('width') ?? '');
	const height = Number.parseFloat(attr('height') ?? '');
	return width > 0 && height > 0 ? size(width, height) : null;
}

function pngSize(bytes: Buffer): ImageSize | null {
	if (bytes.length < 24 || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
	return size(bytes.readUInt32BE(16), bytes.readUInt32BE(20));
}

const size = (width: number, height: number) => ({
	width: Math.round(width),
	height: Math.round(height)
});
