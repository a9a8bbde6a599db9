// The account page's privacy pieces over HTTP: the download of everything stored about the
// signed-in person, and removing the account (the rules live in server/privacy/).
import { json, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { accountRemovedUrl } from '../../routes';
import { publicAddress } from '../site/address';
import { deleteAccount } from '../privacy/deletion';
import { personalData } from '../privacy/export';
import { deleteSessionCookie } from './cookie';
import { fields, formDataOf, formFailure, readForm } from './forms';
import { requireUser } from './guards';

export async function downloadPersonalData(): Promise<Response> {
	const user = requireUser();
	const data = await personalData(user.id, await publicAddress());
	const day = new Date().toISOString().slice(0, 10);
	return json(data, {
		headers: {
			'Content-Disposition': `attachment; filename="stride-academy-my-data-${day}.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
}

const deletionSchema = z.object({
	password: fields.currentPassword,
	confirm: z.literal('yes', 'Tick the box to confirm that you want your account removed.')
});

export async function deleteAccountAction({ request, cookies, url }: RequestEvent) {
	const user = requireUser();
	const form = readForm(await formDataOf(request), deletionSchema);
	if (!form.ok) return formFailure({}, form.errors, 400, 'deleteAccount');
	const result = await deleteAccount(user.id, form.data.password);
	if (!result.ok) return formFailure({}, { [result.field]: result.message }, 400, 'deleteAccount');
	deleteSessionCookie(cookies, url);
	redirect(303, accountRemovedUrl);
}
