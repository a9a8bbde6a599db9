// The version /healthz reports: package.json's, fixed into the build.
import pkg from '../../../../package.json' with { type: 'json' };

export const appVersion: string = pkg.version;
