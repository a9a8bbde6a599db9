import { error } from '@sveltejs/kit';
import { unsubscribe, unsubscribeView } from '$lib/server/mail/preferences';
import type { Actions, PageServerLoad } from './$types';

// Opening the link changes nothing (mail scanners open links); the button below does.
export const load = (async ({ params }) => {
	const view = await unsubscribeView(params.token);
	if (!view) error(404, 'This unsubscribe link is not valid. Check that you copied all of it.');
	return view;
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ params }) => {
		if (!(await unsubscribe(params.token)))
			error(404, 'This unsubscribe link is not valid. Check that you copied all of it.');
		return { done: true };
	}
} satisfies Actions;
