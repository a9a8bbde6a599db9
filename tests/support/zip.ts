// Builds .zip files byte by byte for tests, including the hostile ones no archiver writes on
// purpose: paths with "..", absolute paths, symbolic links, and sizes that lie.
import zlib from 'node:zlib';

export interface ZipEntry {
	name: string;
	data: Buffer | string;
	/** A symbolic link (Unix mode 120777) whose target is `data`. */
	symlink?: boolean;
	/** Deflate the data (default: stored). */
	deflate?: boolean;
	/** Claim this uncompressed size instead of the real one. */
	declaredSize?: number;
}

export function makeZip(entries: ZipEntry[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const raw = Buffer.from(e.data);
		const body = e.deflate ? zlib.deflateRawSync(raw) : raw;
		const name = Buffer.from(e.name);
		const crc = zlib.crc32(raw);
		const size = e.declaredSize ?? raw.length;
		const method = e.deflate ? 8 : 0;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt16LE(method, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		locals.push(local, name, body);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt16LE(method, 10);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(body.length, 20);
		central.writeUInt32LE(size, 24);
		central.writeUInt16LE(name.length, 28);
		const mode = e.symlink ? 0o120777 : 0o100644;
		central.writeUInt32LE((mode << 16) >>> 0, 38);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, name);
		offset += local.length + name.length + body.length;
	}
	const dir = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, dir, end]);
}

/** The files of a folder as zip entries under `prefix`. */
export function folderEntries(files: Map<string, Buffer>, prefix = ''): ZipEntry[] {
	return [...files].map(([name, data]) => ({ name: prefix + name, data, deflate: true }));
}
