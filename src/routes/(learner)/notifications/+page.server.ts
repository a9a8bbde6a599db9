import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireUser } from '$lib/server/http/guards';
import { markAllRead, markRead, notificationsOf } from '$lib/server/notifications/notifications';
import { notificationsUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	return { notifications: await notificationsOf(user.id) };
}) satisfies PageServerLoad;

const readSchema = z.object({ id: z.uuid('Unknown notification.') });

export const actions = {
	read: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), readSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'read');
		// Someone else's id reads as unknown, revealing nothing.
		if (!(await markRead(user.id, form.data.id)))
			return formFailure(form.values, { id: 'Unknown notification.' }, 404, 'read');
		redirect(303, notificationsUrl);
	},
	readAll: async () => {
		const user = requireUser();
		await markAllRead(user.id);
		redirect(303, `${notificationsUrl}?saved=all-read`);
	}
} satisfies Actions;
