// Types for the Verifiable Credentials libraries that ship none: only what this project calls.
declare module '@digitalbazaar/vc' {
	type Loader = (url: string) => Promise<{
		contextUrl: string | null;
		documentUrl: string;
		document: unknown;
	}>;
	export function issue(options: {
		credential: Record<string, unknown>;
		suite: unknown;
		documentLoader: Loader;
		now?: Date | string;
	}): Promise<Record<string, unknown>>;
	export function verifyCredential(options: {
		credential: Record<string, unknown>;
		suite: unknown;
		documentLoader: Loader;
		checkStatus?: (options: Record<string, unknown>) => Promise<unknown>;
		now?: Date | string;
	}): Promise<{
		verified: boolean;
		error?: { message?: string; errors?: { message?: string }[]; name?: string };
		results?: { verified: boolean; error?: { message?: string } }[];
		statusResult?: { verified?: boolean; status?: boolean };
	}>;
}
declare module '@digitalbazaar/data-integrity' {
	export class DataIntegrityProof {
		constructor(options: { signer?: unknown; cryptosuite: unknown; date?: Date | string });
	}
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
	export const cryptosuite: unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
	interface KeyPair {
		id?: string;
		controller?: string;
		publicKeyMultibase: string;
		signer(): unknown;
		export(options: {
			publicKey?: boolean;
			includeContext?: boolean;
		}): Promise<Record<string, unknown>>;
	}
	export function fromJwk(options: {
		jwk: Record<string, unknown>;
		secretKey?: boolean;
		id?: string;
		controller?: string;
	}): Promise<KeyPair>;
}
declare module '@digitalbazaar/credentials-context' {
	export const contexts: Map<string, unknown>;
}
declare module '@digitalbazaar/vc-bitstring-status-list' {
	export interface BitstringStatusList {
		setStatus(index: number, status: boolean): void;
		getStatus(index: number): boolean;
		encode(): Promise<string>;
	}
	export function createList(options: { length: number }): Promise<BitstringStatusList>;
	export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
	export function createCredential(options: {
		id: string;
		list: BitstringStatusList;
		statusPurpose: string;
	}): Promise<Record<string, unknown>>;
	export function checkStatus(options: {
		credential: Record<string, unknown>;
		documentLoader: unknown;
		suite: unknown;
		verifyBitstringStatusListCredential?: boolean;
		verifyMatchingIssuers?: boolean;
	}): Promise<{
		verified: boolean;
		results?: { verified: boolean; status?: boolean }[];
		error?: { message?: string };
	}>;
}
declare module 'jsonld' {
	const jsonld: {
		expand(
			input: unknown,
			options?: { documentLoader?: unknown; safe?: boolean }
		): Promise<unknown[]>;
	};
	export default jsonld;
}
