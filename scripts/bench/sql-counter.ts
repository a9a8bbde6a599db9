// A TCP proxy in front of PostgreSQL that counts the statements an app sends: every Execute
// (extended protocol, what postgres.js uses) and every simple Query message, and the round
// trips they took: each time the app sent something, after the connection started. (Statements
// sent back to back leave in one write and arrive as one chunk; a statement sent after waiting
// for an answer arrives as a chunk of its own.) The app under measurement connects through it;
// the load runs go to a server that connects directly; the integration tests count a submit's
// round trips with it.
import net from 'node:net';

export interface SqlCounter {
	port: number;
	count(): number;
	/** Times the app sent statements since the last reset. */
	roundTrips(): number;
	reset(): void;
	close(): Promise<void>;
}

export async function startSqlCounter(
	target: { host: string; port: number },
	port = 0
): Promise<SqlCounter> {
	let statements = 0;
	let roundTrips = 0;
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const upstream = net.connect(target.port, target.host);
		sockets.add(client).add(upstream);
		let buffer = Buffer.alloc(0);
		let started = false;
		client.on('data', (chunk: Buffer) => {
			upstream.write(chunk);
			buffer = Buffer.concat([buffer, chunk]);
			const before = statements;
			for (;;) {
				if (!started) {
					// Startup or SSL request: int32 length, no type byte.
					if (buffer.length < 8) break;
					const len = buffer.readInt32BE(0);
					if (buffer.length < len) break;
					const code = buffer.readInt32BE(4);
					buffer = buffer.subarray(len);
					if (code !== 80877103 && code !== 80877104) started = true;
					continue;
				}
				if (buffer.length < 5) break;
				const len = buffer.readInt32BE(1);
				if (buffer.length < len + 1) break;
				const type = String.fromCharCode(buffer[0]!);
				if (type === 'E' || type === 'Q') statements++;
				buffer = buffer.subarray(len + 1);
			}
			if (statements > before) roundTrips++;
		});
		upstream.on('data', (d) => client.write(d));
		const end = () => {
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
			sockets.delete(upstream);
		};
		client.on('close', end).on('error', end);
		upstream.on('close', end).on('error', end);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const address = server.address() as net.AddressInfo;
	return {
		port: address.port,
		count: () => statements,
		roundTrips: () => roundTrips,
		reset: () => {
			statements = 0;
			roundTrips = 0;
		},
		close: () =>
			new Promise((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			})
	};
}
