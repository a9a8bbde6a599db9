// Lesson images: their size reserved before they load, and a link to open them full size.
import { describe, expect, it } from 'vitest';
import { svgSize } from '../../src/lib/server/content/image-size';
import { renderMarkdown } from '../../src/lib/server/content/markdown';

describe('svgSize', () => {
	it('reads the viewBox first, else width and height', () => {
		expect(svgSize('<svg xmlns="x" viewBox="0 0 640 760" width="100%">')).toEqual({
			width: 640,
			height: 760
		});
		expect(svgSize("<svg width='320.4' height='200px'>")).toEqual({ width: 320, height: 200 });
		expect(svgSize('<svg width="100%">')).toBeNull();
		expect(svgSize('<html></html>')).toBeNull();
	});
});

describe('an image in a lesson', () => {
	const render = (size: { width?: number; height?: number }) =>
		renderMarkdown('![A labelled diagram](d.svg)', {
			link: () => null,
			image: () => ({ url: '/courses/c/media/d.svg', ...size })
		});

	it('carries its width and height and links to itself, to open full size', () => {
		const html = render({ width: 640, height: 760 });
		expect(html).toMatch(
			/<a class="figure-link" href="\/courses\/c\/media\/d\.svg"><img src="\/courses\/c\/media\/d\.svg" alt="A labelled diagram" width="640" height="760"/
		);
		expect(html).toContain('Open full size</span></a>');
	});

	it('has no size attributes when the size is unknown', () => {
		expect(render({})).not.toMatch(/width=|height=/);
	});
});
