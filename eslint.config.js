import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'.test-data/',
			'test-results/',
			'playwright-report/',
			'drizzle/',
			'scripts/bench/empty-app/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				tsconfigRootDir: import.meta.dirname
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			'no-undef': 'off',
			// The app is served from the root (no paths.base), so plain hrefs are correct.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	// The layers (README "Architecture"): only server/http speaks SvelteKit among the server
	// modules, and the pure core and the components never reach into the server.
	{
		files: ['src/lib/server/**/*.ts'],
		ignores: ['src/lib/server/http/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['@sveltejs/kit', '@sveltejs/kit/*', '$app/*'],
							message: 'SvelteKit belongs in src/lib/server/http: return a result from services.'
						}
					]
				}
			]
		}
	},
	{
		files: [
			'src/lib/quiz/**',
			'src/lib/progress/**',
			'src/lib/content/**',
			'src/lib/routes.ts',
			'src/lib/components/**'
		],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['$lib/server', '$lib/server/*', '**/server', '**/server/*'],
							message: 'The pure core and components must not import server code.'
						}
					]
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, svelteConfig }
		}
	},
	{
		files: ['**/*.js'],
		...ts.configs.disableTypeChecked
	},
	// TypeScript's globs skip dot folders, so the project service does not know .well-known routes.
	{
		files: ['src/routes/**/.well-known/**/*.ts'],
		...ts.configs.disableTypeChecked,
		languageOptions: { parserOptions: { projectService: false, project: null } }
	}
);
