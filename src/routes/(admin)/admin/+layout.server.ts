import { siteAddress } from '$lib/server/site/address';
import type { LayoutServerLoad } from './$types';

// What every admin page says about the site's address: a setup step until an admin confirmed it
// (or ORIGIN sets it), and a warning while only this machine can open it. Access is checked in
// hooks.server.ts and in each page's own load, never here.
export const load = (async () => {
	const address = await siteAddress();
	return { siteAddress: address };
}) satisfies LayoutServerLoad;
