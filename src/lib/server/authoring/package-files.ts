// An uploaded course package as files: a .zip of a course folder (its paths checked, its sizes
// limited while inflating, links refused, SVG sanitised), or a GIFT / Moodle XML question bank
// made into a quiz-only course. Nothing here touches the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { sanitizeSvg } from './images';
import { modulesOf, writeImportedCourse } from './course-writer';
import { formatOfName, readBank } from './read-bank';

/** Upload limits: the package as sent, its files inflated, and how many files. */
export const PACKAGE_LIMITS = {
	uploadBytes: 1_500_000,
	unpackedBytes: 20_000_000,
	files: 300
};

/** Files a course folder holds: everything else in an archive is refused. */
const ALLOWED = /\.(ya?ml|md|svg|png|jpe?g|webp|gif)$/i;

export class PackageRefused extends Error {}

/** A package path's problem, or null: relative, forward slashes, no "..", no drive letters. */
export function pathProblem(name: string): string | null {
	if (name.includes('\\')) return 'uses backslashes';
	if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
	if (name.split('/').some((part) => part === '..')) return 'climbs out of the folder with ".."';
	if (name.includes('\0')) return 'has a NUL character';
	return null;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
	return new Promise((resolve, reject) =>
		yauzl.fromBuffer(
			bytes,
			{ lazyEntries: true, decodeStrings: false, validateEntrySizes: true },
			(err, zip) =>
				err
					? reject(new PackageRefused(`Not a readable .zip file (${err.message}).`))
					: resolve(zip)
		)
	);
}

/** The files of a .zip, by path; refuses unsafe paths, links, too many files or bytes. */
export async function unzipPackage(bytes: Buffer): Promise<Map<string, Buffer>> {
	const zip = await openZip(bytes);
	const files = new Map<string, Buffer>();
	let total = 0;
	try {
		await new Promise<void>((resolve, reject) => {
			zip.on('error', (e: Error) =>
				reject(
					e instanceof PackageRefused
						? e
						: new PackageRefused(`Not a readable .zip file (${e.message}).`)
				)
			);
			zip.on('end', () => resolve());
			zip.on('entry', (entry: yauzl.Entry) => {
				const name = (entry.fileName as unknown as Buffer).toString('utf8');
				const problem = pathProblem(name);
				if (problem) return reject(new PackageRefused(`${name}: refused, the path ${problem}.`));
				if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK)
					return reject(
						new PackageRefused(`${name}: refused, links are not allowed in a package.`)
					);
				if (name.endsWith('/')) return zip.readEntry();
				if (files.size + 1 > PACKAGE_LIMITS.files)
					return reject(
						new PackageRefused(`More than ${PACKAGE_LIMITS.files} files in the package.`)
					);
				if (total + entry.uncompressedSize > PACKAGE_LIMITS.unpackedBytes)
					return reject(
						new PackageRefused(
							`The package unpacks to more than ${PACKAGE_LIMITS.unpackedBytes / 1e6} MB.`
						)
					);
				zip.openReadStream(entry, (err, stream) => {
					if (err) return reject(new PackageRefused(`${name}: ${err.message}`));
					const chunks: Buffer[] = [];
					let size = 0;
					stream.on('data', (c: Buffer) => {
						size += c.length;
						// The declared size is checked by yauzl too; this holds even if it lies.
						if (total + size > PACKAGE_LIMITS.unpackedBytes) {
							stream.destroy();
							reject(
								new PackageRefused(
									`The package unpacks to more than ${PACKAGE_LIMITS.unpackedBytes / 1e6} MB.`
								)
							);
						} else chunks.push(c);
					});
					stream.on('error', (e) =>
						reject(
							new PackageRefused(
								/too many bytes|too few bytes/.test(e.message)
									? `${name}: refused, its contents differ in size from what the archive says.`
									: `${name}: ${e.message}`
							)
						)
					);
					stream.on('end', () => {
						total += size;
						files.set(name, Buffer.concat(chunks));
						zip.readEntry();
					});
				});
			});
			zip.readEntry();
		});
	} finally {
		zip.close();
	}
	return files;
}

/** Drops one folder that holds everything (a zip of the course folder rather than its contents). */
function withoutCommonFolder(files: Map<string, Buffer>): Map<string, Buffer> {
	const names = [...files.keys()];
	const first = names[0]?.split('/')[0];
	if (!first || names.some((n) => !n.startsWith(`${first}/`))) return files;
	return new Map(names.map((n) => [n.slice(first.length + 1), files.get(n)!]));
}

/** Checks the files a course folder may hold and sanitises SVG. */
function courseFiles(files: Map<string, Buffer>): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	for (const [name, data] of withoutCommonFolder(files)) {
		const base = path.posix.basename(name);
		if (base.startsWith('.') || name.startsWith('__MACOSX/')) continue;
		if (!ALLOWED.test(name))
			throw new PackageRefused(
				`${name}: refused, a course holds only .yaml, .md and images (svg, png, jpg, webp, gif).`
			);
		out.set(name, /\.svg$/i.test(name) ? Buffer.from(sanitizeSvg(data.toString('utf8'))) : data);
	}
	if (!out.has('course.yaml'))
		throw new PackageRefused('The package has no course.yaml at its top.');
	return out;
}

/** Reads a folder back as a file map (after writing a question bank as a course). */
function readFolder(dir: string, prefix = ''): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) for (const [k, v] of readFolder(dir, rel)) out.set(k, v);
		else out.set(rel, fs.readFileSync(path.join(dir, rel)));
	}
	return out;
}

/**
 * The files of an uploaded package and, for a question bank, the import's reports
 * ("line N: skipped: why"). `courseId` names a question bank's course.
 */
export async function packageFiles(
	fileName: string,
	bytes: Buffer,
	courseId?: string
): Promise<{ files: Map<string, Buffer>; reports: string[] }> {
	if (bytes.length > PACKAGE_LIMITS.uploadBytes)
		throw new PackageRefused(`The file is larger than ${PACKAGE_LIMITS.uploadBytes / 1e6} MB.`);
	if (/\.zip$/i.test(fileName))
		return { files: courseFiles(await unzipPackage(bytes)), reports: [] };
	const format = formatOfName(fileName);
	if (!format)
		throw new PackageRefused(
			'Upload a .zip of a course folder, a GIFT file (.gift, .txt) or a Moodle XML file (.xml).'
		);
	if (!courseId) throw new PackageRefused('Give the course id for a question bank.');
	const bank = readBank(bytes, format);
	const reports = bank.reports.map((r) => `${fileName}:${r.line}: ${r.kind}: ${r.message}`);
	if (!bank.questions.length)
		throw new PackageRefused(['Nothing could be imported.', ...reports].join('\n'));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-bank-'));
	try {
		writeImportedCourse(dir, courseId, modulesOf(bank.questions), fileName);
		return { files: courseFiles(readFolder(dir)), reports };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Writes files into a new folder (made whole under a temporary name, then renamed). */
export function writeFolder(
	dir: string,
	files: Map<string, Buffer> | Record<string, string>
): void {
	if (fs.existsSync(dir)) return;
	const temp = `${dir}.tmp-${process.pid}-${Date.now()}`;
	const entries =
		files instanceof Map
			? [...files]
			: Object.entries(files).map(([k, v]) => [k, Buffer.from(v, 'base64')] as const);
	for (const [name, data] of entries) {
		if (pathProblem(name)) continue;
		const target = path.join(temp, name);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, data);
	}
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	try {
		fs.renameSync(temp, dir);
	} catch (e) {
		fs.rmSync(temp, { recursive: true, force: true });
		if (!fs.existsSync(dir)) throw e;
	}
}
