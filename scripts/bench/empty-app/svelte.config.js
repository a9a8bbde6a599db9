// The empty SvelteKit app the benchmark compares the platform with: the same SvelteKit, Svelte,
// Vite and adapter-node (from the project's node_modules), one server-rendered page.
import adapter from '@sveltejs/adapter-node';

export default {
	kit: {
		adapter: adapter({ out: process.env.BENCH_EMPTY_OUT || 'build' }),
		outDir: process.env.BENCH_EMPTY_KIT_DIR || '.svelte-kit'
	}
};
