// Markdown → sanitised HTML for lessons and question prompts. Links to other lessons and images
// beside the lesson are resolved by the caller's resolver, which also reports broken ones.
import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

export interface LinkResolver {
	/** Returns the URL for a link, or null when it is broken (the resolver records why). */
	link(href: string): string | null;
	/** The image's URL, with its intrinsic size when known, or null when it is broken. */
	image(src: string, alt: string): string | ResolvedImage | null;
}

export interface ResolvedImage {
	url: string;
	width?: number;
	height?: number;
}

export function slugify(text: string): string {
	return (
		text
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/<[^>]*>/g, '')
			.replace(/&[a-z]+;/g, '')
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'section'
	);
}

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: [
		'h2',
		'h3',
		'h4',
		'p',
		'a',
		'ul',
		'ol',
		'li',
		'strong',
		'em',
		'code',
		'pre',
		'blockquote',
		'img',
		'figure',
		'figcaption',
		'table',
		'thead',
		'tbody',
		'tr',
		'th',
		'td',
		'br',
		'hr',
		'span'
	],
	allowedAttributes: {
		a: ['href', 'title', 'class', 'aria-label'],
		img: ['src', 'alt', 'title', 'loading', 'width', 'height', 'decoding'],
		h2: ['id'],
		h3: ['id'],
		h4: ['id'],
		ol: ['start'],
		span: ['class', 'aria-hidden'],
		th: ['align'],
		td: ['align']
	},
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href', 'src'],
	allowProtocolRelative: false,
	// Drop the contents of dangerous elements, not just the tags.
	nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object']
};

export function sanitize(html: string): string {
	return sanitizeHtml(html, SANITIZE);
}

const escapeAttr = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The info string that makes a fenced block an inline knowledge check (docs/course-format.md). */
export const CHECK_FENCE = 'check';

function lessonMarked(resolver: LinkResolver, onNestedCheck: () => void = () => {}): Marked {
	const used = new Map<string, number>();
	return new Marked({
		gfm: true,
		renderer: {
			// A check inside a list or quote cannot become a form of its own: reported, left out.
			code({ lang }: Tokens.Code) {
				if (lang?.trim() !== CHECK_FENCE) return false;
				onNestedCheck();
				return '';
			},
			heading({ tokens, depth }: Tokens.Heading) {
				const inner = this.parser.parseInline(tokens);
				const level = Math.min(Math.max(depth, 2), 4); // the page owns the h1
				let slug = slugify(inner);
				const n = used.get(slug) ?? 0;
				used.set(slug, n + 1);
				if (n) slug = `${slug}-${n}`;
				return `<h${level} id="${slug}">${inner} <a class="anchor" href="#${slug}" aria-label="Link to this section"><span aria-hidden="true">#</span></a></h${level}>\n`;
			},
			link({ href, title, tokens }: Tokens.Link) {
				const url = resolver.link(href);
				const inner = this.parser.parseInline(tokens);
				if (url === null) return inner;
				const t = title ? ` title="${escapeAttr(title)}"` : '';
				return `<a href="${escapeAttr(url)}"${t}>${inner}</a>`;
			},
			image({ href, text, title }: Tokens.Image) {
				const resolved = resolver.image(href, text);
				if (resolved === null) return '';
				const { url, width, height } = typeof resolved === 'string' ? { url: resolved } : resolved;
				const t = title ? ` title="${escapeAttr(title)}"` : '';
				// Width and height reserve the image's space (the page does not jump as it loads).
				const size = width && height ? ` width="${width}" height="${height}"` : '';
				const img = `<img src="${escapeAttr(url)}" alt="${escapeAttr(text)}"${t}${size} loading="lazy" decoding="async">`;
				// A diagram's labels are small on a phone: the image links to itself, opened full
				// screen where the browser lets the learner zoom, without any script.
				return `<a class="figure-link" href="${escapeAttr(url)}">${img}<span class="figure-hint">Open full size</span></a>`;
			}
		}
	});
}

export function renderMarkdown(source: string, resolver: LinkResolver): string {
	return sanitize(lessonMarked(resolver).parse(source, { async: false }));
}

export type LessonPart =
	| { kind: 'html'; html: string }
	/** A ```check block's YAML and the line (within `source`, from 1) its fence opens on. */
	| { kind: 'check'; yaml: string; line: number };

/**
 * A lesson's Markdown as HTML pieces around its inline checks, each piece sanitised on its own.
 * A check must stand at the top level (not inside a list or quote): `onNestedCheck` hears of any
 * other, which is left out.
 */
export function renderLessonParts(
	source: string,
	resolver: LinkResolver,
	onNestedCheck: () => void
): LessonPart[] {
	const marked = lessonMarked(resolver, onNestedCheck);
	const tokens = marked.lexer(source);
	const parts: LessonPart[] = [];
	let group: Token[] = [];
	const flush = () => {
		if (!group.length) return;
		const list = Object.assign(group, { links: tokens.links });
		const html = sanitize(marked.parser(list));
		if (html.trim()) parts.push({ kind: 'html', html });
		group = [];
	};
	let line = 1;
	for (const token of tokens) {
		if (token.type === 'code' && (token as Tokens.Code).lang?.trim() === CHECK_FENCE) {
			flush();
			parts.push({ kind: 'check', yaml: (token as Tokens.Code).text, line });
		} else group.push(token);
		line += (token.raw.match(/\n/g) ?? []).length;
	}
	flush();
	return parts;
}

/**
 * A question prompt: Markdown without lesson links; images only through `image` (files beside
 * the quiz, as an imported question bank brings them), dropped without it.
 */
export function renderPrompt(source: string, image: LinkResolver['image'] = () => null): string {
	return renderMarkdown(source, { link: (href) => href, image });
}
