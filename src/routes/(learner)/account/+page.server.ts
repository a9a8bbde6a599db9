import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { changePassword, updateName } from '$lib/server/auth/accounts';
import { fields, formDataOf, formFailure, readForm } from '$lib/server/http/forms';
import { requireUser } from '$lib/server/http/guards';
import {
	certificateNameOf,
	refreshCertificateNames,
	setCertificateName
} from '$lib/server/certificates/records';
import { unsupportedCharacters } from '$lib/server/certificates/pdf';
import { leaveTeam, membershipsOf } from '$lib/server/teams/teams';
import { emailRemindersOn, setEmailReminders } from '$lib/server/mail/preferences';
import { setTimeZone } from '$lib/server/auth/time-zone';
import { isTimeZone } from '$lib/time';
import { latestCoachRequest, requestCoachRole } from '$lib/server/teams/coach-requests';
import { accommodationOf } from '$lib/server/teams/accommodation';
import { deleteAccountAction } from '$lib/server/http/account-privacy';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	const request = await latestCoachRequest(user.id);
	return {
		profile: {
			name: user.name,
			email: user.email,
			role: user.role,
			certificateName: await certificateNameOf(user.id),
			timeZone: user.timeZone
		},
		teams: await membershipsOf(user.id),
		emailReminders: await emailRemindersOn(user.id),
		coaching: {
			request: request && {
				status: request.status,
				createdAt: request.createdAt,
				decidedAt: request.decidedAt,
				reason: request.reason
			},
			extraTime: await accommodationOf(user.id)
		}
	};
}) satisfies PageServerLoad;

const profileSchema = z.object({ name: fields.name });
const certificateNameSchema = z.object({
	// Empty means "use my display name"; otherwise the same rules as a name, in letters the
	// certificate PDF can print (refused here rather than failing at the download).
	certificateName: z.union([
		z.literal(''),
		fields.name.superRefine((name, ctx) => {
			const missing = unsupportedCharacters(name);
			if (missing.length)
				ctx.addIssue({
					code: 'custom',
					message: `The certificate PDF cannot print ${missing.join(' ')}: its font has Latin, Greek and Cyrillic letters. Write the name in those letters (for example in pinyin).`
				});
		})
	])
});
const timeZoneSchema = z.object({
	timeZone: z
		.string('Choose a time zone.')
		.refine(isTimeZone, 'Choose a time zone from the list, like Europe/London.'),
	// Set by the browser on a first visit (BrowserTimeZone.svelte): never replaces a choice.
	auto: z.literal('1').optional()
});
const leaveSchema = z.object({ team: z.uuid('Unknown team.') });
const coachRequestSchema = z.object({
	note: z
		.string('Write a short note.')
		.trim()
		.min(1, 'Say in a few words whom you coach.')
		.max(500, 'Keep the note under 500 characters.')
});
const passwordSchema = z.object({ current: fields.currentPassword, password: fields.password });

export const actions = {
	profile: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), profileSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'profile');
		await updateName(user.id, form.data.name);
		await refreshCertificateNames(user.id);
		redirect(303, '/account?saved=profile');
	},
	certificateName: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), certificateNameSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'certificateName');
		await setCertificateName(user.id, form.data.certificateName.trim() || null);
		redirect(303, '/account?saved=certificate-name');
	},
	timeZone: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), timeZoneSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'timeZone');
		await setTimeZone(user.id, form.data.timeZone, form.data.auto === '1');
		redirect(303, '/account?saved=time-zone');
	},
	leave: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), leaveSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'leave');
		// Only the signed-in athlete's own membership can be removed; any other id is "not in it".
		if (!(await leaveTeam(user.id, form.data.team)))
			return formFailure(form.values, { team: 'You are not in that team.' }, 400, 'leave');
		redirect(303, '/account?saved=left');
	},
	emailReminders: async ({ request }) => {
		const user = requireUser();
		// An unticked checkbox sends nothing: absent means off.
		const on = (await formDataOf(request)).get('emailReminders') === 'on';
		await setEmailReminders(user.id, on);
		redirect(303, '/account?saved=email#email-heading');
	},
	requestCoach: async ({ request }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), coachRequestSchema);
		if (!form.ok) return formFailure(form.values, form.errors, 400, 'requestCoach');
		const result = await requestCoachRole(user, form.data.note);
		if (!result.ok) return formFailure(form.values, { note: result.message }, 400, 'requestCoach');
		redirect(303, '/account?saved=coach-request');
	},
	password: async ({ request, locals }) => {
		const user = requireUser();
		const form = readForm(await formDataOf(request), passwordSchema);
		if (!form.ok) return formFailure({}, form.errors, 400, 'password');
		const result = await changePassword(
			user.id,
			locals.session!.token,
			form.data.current,
			form.data.password
		);
		if (!result.ok) {
			return formFailure({}, { [result.field]: result.message }, 400, 'password');
		}
		redirect(303, '/account?saved=password');
	},
	deleteAccount: deleteAccountAction
} satisfies Actions;
