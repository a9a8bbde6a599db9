// Optional encryption of backups with age (https://age-encryption.org, the `age-encryption`
// package): a backup holds password hashes, the signing keys and the device-cookie key in clear.
// With BACKUP_AGE_RECIPIENTS (age1… public keys) or BACKUP_PASSPHRASE set, `npm run backup`
// writes `….backup.gz.age` instead; a restore of such a file needs the matching identity
// (BACKUP_AGE_IDENTITY: an AGE-SECRET-KEY-1… or a file holding one) or the passphrase. The
// files are age's standard format: `age -d` opens them too.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { BackupError } from './archive';

export const AGE_SUFFIX = '.age';

export type BackupKey = { recipients: string[] } | { passphrase: string } | null;

/** What to encrypt a new backup to, from the environment; null when encryption is off. */
export function backupEncryption(env: NodeJS.ProcessEnv = process.env): BackupKey {
	const recipients = (env.BACKUP_AGE_RECIPIENTS ?? '').split(/[\s,]+/).filter(Boolean);
	const passphrase = env.BACKUP_PASSPHRASE ?? '';
	if (recipients.length && passphrase)
		throw new BackupError(
			'Set BACKUP_AGE_RECIPIENTS or BACKUP_PASSPHRASE, not both (age encrypts to one or the other).'
		);
	for (const r of recipients)
		if (!/^age1[0-9a-z]{58}$/.test(r))
			throw new BackupError(
				`BACKUP_AGE_RECIPIENTS holds "${r.slice(0, 12)}…", which is not an age public key (age1…).`
			);
	if (recipients.length) return { recipients };
	return passphrase ? { passphrase } : null;
}

const toWeb = (file: string) =>
	Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
const fromWeb = (stream: ReadableStream<Uint8Array>) =>
	Readable.fromWeb(stream as unknown as WebReadableStream<Uint8Array>);

/** Encrypts `clear` into `target` (made 0600, never overwritten), on disk before it returns. */
export async function encryptFile(clear: string, target: string, key: BackupKey): Promise<void> {
	if (!key) throw new Error('No backup key.');
	const encrypter = new Encrypter();
	if ('passphrase' in key) encrypter.setPassphrase(key.passphrase);
	else for (const r of key.recipients) encrypter.addRecipient(r);
	const partial = `${target}.partial`;
	try {
		const sealed = await encrypter.encrypt(toWeb(clear));
		await pipeline(fromWeb(sealed), fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' }));
		const handle = await fs.promises.open(partial, 'r');
		await handle.sync().finally(() => handle.close());
		fs.linkSync(partial, target);
	} finally {
		fs.rmSync(partial, { force: true });
	}
}

/** The identities to open an encrypted backup with, from the environment. */
function decrypter(env: NodeJS.ProcessEnv): Decrypter {
	const d = new Decrypter();
	let any = false;
	const identity = env.BACKUP_AGE_IDENTITY?.trim();
	if (identity) {
		const text = identity.startsWith('AGE-SECRET-KEY-') ? identity : readIdentityFile(identity);
		for (const line of text.split('\n').map((l) => l.trim()))
			if (line.startsWith('AGE-SECRET-KEY-')) {
				d.addIdentity(line);
				any = true;
			}
	}
	if (env.BACKUP_PASSPHRASE) {
		d.addPassphrase(env.BACKUP_PASSPHRASE);
		any = true;
	}
	if (!any)
		throw new BackupError(
			'This backup is encrypted: set BACKUP_AGE_IDENTITY (the secret key or its file) or BACKUP_PASSPHRASE.'
		);
	return d;
}

function readIdentityFile(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		throw new BackupError(`BACKUP_AGE_IDENTITY names ${file}, which cannot be read.`);
	}
}

/** Decrypts an encrypted backup into `clear` (0600); a wrong key is one BackupError line. */
export async function decryptFile(
	file: string,
	clear: string,
	env: NodeJS.ProcessEnv = process.env
): Promise<void> {
	const d = decrypter(env);
	let opened: ReadableStream<Uint8Array>;
	try {
		opened = await d.decrypt(toWeb(file));
	} catch {
		throw new BackupError(
			`Cannot decrypt ${file}: the key or passphrase does not match (BACKUP_AGE_IDENTITY, BACKUP_PASSPHRASE), or the file is not an age file.`
		);
	}
	try {
		await pipeline(fromWeb(opened), fs.createWriteStream(clear, { mode: 0o600, flags: 'wx' }));
	} catch {
		throw new BackupError(`Cannot decrypt ${file}: it is damaged or cut short.`);
	}
}
