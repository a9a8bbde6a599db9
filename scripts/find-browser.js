// Finds the Chromium the end-to-end tests drive: CHROMIUM_PATH, else the system Chromium,
// else Playwright's own build (downloaded on demand where the network allows it).
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** @returns {Promise<{ path: string | undefined, source: string } | { path: null, problem: string }>} */
export async function findChromium({ install = false } = {}) {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (fs.existsSync(fromEnv)) return { path: fromEnv, source: 'CHROMIUM_PATH' };
		return { path: null, problem: `CHROMIUM_PATH is set to ${fromEnv}, but no file is there.` };
	}
	const system = SYSTEM_PATHS.find((p) => fs.existsSync(p));
	if (system) return { path: system, source: 'system Chromium' };
	const { chromium } = await import('@playwright/test');
	if (fs.existsSync(chromium.executablePath())) {
		return { path: undefined, source: `Playwright's Chromium (${chromium.executablePath()})` };
	}
	if (install) {
		try {
			execSync('npx playwright install chromium', { stdio: 'inherit' });
			return { path: undefined, source: "Playwright's Chromium (just installed)" };
		} catch {
			/* fall through to the explanation */
		}
	}
	return {
		path: null,
		problem:
			'No Chromium found. Install one (Debian/Ubuntu: `apt-get install chromium`), point ' +
			'CHROMIUM_PATH at a Chromium or Chrome binary, or run `npx playwright install chromium`.'
	};
}
