// What a page ships: its HTML, and the JavaScript and CSS it makes the browser load at once
// (module preloads in the HTML or the Link header, the entry imports in the inline start
// script, stylesheets), each counted once, raw and gzipped. The JS budget test uses it too.
import { gzipSync } from 'node:zlib';

export interface PageWeight {
	htmlBytes: number;
	htmlGzip: number;
	jsBytes: number;
	jsGzip: number;
	cssBytes: number;
	cssGzip: number;
	jsFiles: number;
	cssFiles: number;
}

export async function pageWeight(
	url: string,
	headers: Record<string, string> = {}
): Promise<PageWeight> {
	const res = await fetch(url, { headers, redirect: 'manual' });
	if (res.status !== 200) throw new Error(`${url} answered ${res.status}, so nothing was measured`);
	const html = await res.text();
	const origin = new URL(url).origin;
	const js = new Set<string>();
	const css = new Set<string>();
	const linkHeader = res.headers.get('link') ?? '';
	for (const m of linkHeader.matchAll(/<([^>]+)>;\s*rel="modulepreload"/g)) js.add(m[1]!);
	for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) js.add(m[1]!);
	for (const m of html.matchAll(/import\("([^"]+\.js)"\)/g)) js.add(m[1]!);
	for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) js.add(m[1]!);
	for (const m of html.matchAll(
		/<link[^>]+href="([^"]+\.css)"[^>]*rel="stylesheet"|<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g
	))
		css.add((m[1] ?? m[2])!);
	const sizes = async (files: Set<string>) => {
		let bytes = 0;
		let gzip = 0;
		for (const f of files) {
			const file = await fetch(
				new URL(f, url).href.startsWith('http') ? new URL(f, url).href : origin + f
			);
			if (file.status !== 200) throw new Error(`${f} answered ${file.status}`);
			const body = Buffer.from(await file.arrayBuffer());
			bytes += body.length;
			gzip += gzipSync(body).length;
		}
		return { bytes, gzip };
	};
	const j = await sizes(js);
	const c = await sizes(css);
	const h = Buffer.from(html);
	return {
		htmlBytes: h.length,
		htmlGzip: gzipSync(h).length,
		jsBytes: j.bytes,
		jsGzip: j.gzip,
		cssBytes: c.bytes,
		cssGzip: c.gzip,
		jsFiles: js.size,
		cssFiles: css.size
	};
}
