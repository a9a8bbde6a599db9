// Starts the production build as a real process, the way `npm start` runs it (scripts/start.js,
// which rebuilds first if the sources are newer), for process tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RunningServer {
	url: string;
	process: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
		});
	});
}

export async function startServer(
	dataDir: string,
	extraEnv: Record<string, string> = {},
	port?: number
): Promise<RunningServer> {
	port ??= await freePort();
	const url = `http://localhost:${port}`;
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, PORT: String(port), ORIGIN: url, DATA_DIR: dataDir, ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const server = { url, process: child, output: () => out, exited };
	await waitForHealthy(server);
	return server;
}

export async function waitForHealthy(server: RunningServer, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	let exitCode: number | null | undefined;
	void server.exited.then((c) => (exitCode = c));
	while (Date.now() < deadline) {
		if (exitCode !== undefined) throw new Error(`Server exited (${exitCode}):\n${server.output()}`);
		try {
			const res = await fetch(`${server.url}/healthz`);
			if (res.ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`Server did not become healthy:\n${server.output()}`);
}

/** Posts a form the way a browser without JavaScript does. */
export function postForm(
	server: RunningServer,
	path: string,
	data: Record<string, string>,
	cookie?: string
) {
	return fetch(server.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			accept: 'text/html',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(data)
	});
}

export function sessionCookie(res: Response): string | undefined {
	const set = res.headers.getSetCookie().find((c) => c.startsWith('session='));
	return set?.split(';')[0];
}
