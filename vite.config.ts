import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173 },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'process',
					include: ['tests/process/**/*.test.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					// Attacks on the production build (tests/security/README in docs/security-tests.md).
					name: 'security',
					include: ['tests/security/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/security/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
