// Image files that come with imported or uploaded courses: safe names, and SVG sanitised the way
// lesson HTML is (an SVG is a document that can carry script).
import path from 'node:path';
import sanitizeHtml from 'sanitize-html';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg']);

/**
 * A file name for an image beside the quiz: its base name in safe characters, unique among
 * `taken` (which it joins); undefined when it is not an image type we serve.
 */
export function safeImageName(original: string, taken: Set<string>): string | undefined {
	const base = path.posix.basename(original.replace(/\\/g, '/'));
	const ext = path.extname(base).toLowerCase();
	if (!IMAGE_EXTENSIONS.has(ext)) return undefined;
	const stem =
		base
			.slice(0, -ext.length)
			.replace(/[^A-Za-z0-9_-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'image';
	let name = `${stem}${ext}`;
	for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem}-${n}${ext}`;
	taken.add(name.toLowerCase());
	return name;
}

// Drawing elements and presentation attributes only: no script, no foreignObject (HTML inside),
// no event handlers, no links or references outside the file.
const SVG_TAGS = [
	'svg',
	'g',
	'defs',
	'title',
	'desc',
	'symbol',
	'use',
	'path',
	'rect',
	'circle',
	'ellipse',
	'line',
	'polyline',
	'polygon',
	'text',
	'tspan',
	'textPath',
	'marker',
	'linearGradient',
	'radialGradient',
	'stop',
	'clipPath',
	'mask',
	'pattern',
	'image',
	'style'
];
const SVG_ATTRIBUTES = [
	'id',
	'class',
	'viewBox',
	'width',
	'height',
	'x',
	'y',
	'x1',
	'y1',
	'x2',
	'y2',
	'cx',
	'cy',
	'r',
	'rx',
	'ry',
	'd',
	'points',
	'fill',
	'fill-opacity',
	'fill-rule',
	'stroke',
	'stroke-width',
	'stroke-linecap',
	'stroke-linejoin',
	'stroke-dasharray',
	'stroke-opacity',
	'opacity',
	'transform',
	'font-family',
	'font-size',
	'font-weight',
	'font-style',
	'text-anchor',
	'dominant-baseline',
	'letter-spacing',
	'preserveAspectRatio',
	'xmlns',
	'xmlns:xlink',
	'version',
	'role',
	'aria-label',
	'aria-labelledby',
	'aria-describedby',
	'lang',
	'offset',
	'stop-color',
	'stop-opacity',
	'gradientUnits',
	'gradientTransform',
	'markerWidth',
	'markerHeight',
	'refX',
	'refY',
	'orient',
	'markerUnits',
	'clip-path',
	'mask',
	'dx',
	'dy',
	'href',
	'xlink:href',
	'patternUnits',
	'marker-start',
	'marker-mid',
	'marker-end',
	'style',
	'paint-order',
	'vector-effect',
	'display',
	'visibility',
	'rotate'
];

/** An SVG with script, event handlers, HTML and outside references removed. */
export function sanitizeSvg(svg: string): string {
	const cleaned = sanitizeHtml(svg, {
		allowedTags: SVG_TAGS,
		allowedAttributes: { '*': SVG_ATTRIBUTES },
		// Only references inside the file (#id) and embedded raster data.
		allowedSchemes: [],
		allowedSchemesByTag: { image: ['data'] },
		allowedSchemesAppliedToAttributes: ['href', 'xlink:href', 'src'],
		allowProtocolRelative: false,
		nonTextTags: ['script', 'foreignObject', 'iframe', 'object', 'embed', 'noscript'],
		parser: { xmlMode: true, lowerCaseTags: false, lowerCaseAttributeNames: false },
		allowVulnerableTags: true
	});
	// style text may still call url(http…) or javascript:; drop any url() that is not #local.
	return cleaned
		.replace(/url\(\s*(['"]?)(?!#)[^)]*\1\s*\)/gi, 'none')
		.replace(/@import[^;]*;?/gi, '');
}
