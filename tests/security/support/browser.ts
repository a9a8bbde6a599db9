// Chromium for the few security tests that need a real browser (scripts that might run), found
// the way the end-to-end tests find it, with the same flags for a sandboxed, offline machine.
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { findChromium } from '../../../scripts/find-browser.js';
import type { Client } from './client';

export async function launchBrowser(): Promise<Browser> {
	const found = await findChromium();
	if (found.path === null) throw new Error(found.problem);
	return chromium.launch({
		executablePath: found.path,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic'
		]
	});
}

/** A browser context logged in as `client` (its cookies), with JavaScript on. */
export async function contextOf(browser: Browser, client: Client): Promise<BrowserContext> {
	const context = await browser.newContext();
	await context.addCookies(
		[...client.cookies].map(([name, value]) => ({ name, value, url: client.base }))
	);
	return context;
}
