// The certificate core: pure functions and the signing key file, no database and no SvelteKit.
// Services, routes and admin pages call these; see docs/certificates.md for how they fit.
export * from './codes';
export * from './keys';
export * from './credential';
export * from './pdf';
export * from './linkedin';
