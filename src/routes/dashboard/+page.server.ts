import type { PageServerLoad } from './$types';

export const load = (({ locals }) => ({ name: locals.user!.name })) satisfies PageServerLoad;
