import { formDataOf } from '$lib/server/http/forms';
import { error, fail, redirect } from '@sveltejs/kit';
import { now } from '$lib/server/clock';
import { requireUser } from '$lib/server/http/guards';
import { answerCard, nextDueCard, reviewSummary, selfRate } from '$lib/server/review/queue';
import { RATING_NAMES } from '$lib/review/schedule';
import { reviewUrl } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const user = requireUser();
	const at = now();
	const [summary, card] = await Promise.all([
		reviewSummary(user.id, user.timeZone, at),
		nextDueCard(user.id, user.timeZone, at)
	]);
	return { dueToday: summary.dueToday, streak: summary.streak, card };
}) satisfies PageServerLoad;

const REFUSALS = {
	'not-found': 'This card is not in your review.',
	answered: 'This card was already answered. Here is the next one.',
	changed: 'This question changed in the course since it was shown. Here it is as it is now.'
} as const;

export const actions = {
	answer: async ({ request }) => {
		const user = requireUser();
		const form = await formDataOf(request);
		const card = form.get('card');
		const round = Number(form.get('round'));
		if (typeof card !== 'string') return fail(400, { message: 'Answer a card from the page.' });
		const answered = await answerCard(user.id, card, round, form, user.timeZone, now());
		if (answered.ok)
			return {
				answered: {
					item: answered.item,
					logId: answered.logId,
					nextDue: answered.nextDue,
					ratings: answered.selfRatings.map((r) => ({ value: r, name: RATING_NAMES[r as 1] }))
				}
			};
		if (answered.reason === 'invalid') return fail(400, { cardId: card, error: answered.message });
		if (answered.reason === 'not-found') error(404, REFUSALS['not-found']);
		return fail(409, { message: REFUSALS[answered.reason] });
	},
	rate: async ({ request }) => {
		const user = requireUser();
		const form = await formDataOf(request);
		const log = form.get('log');
		const rating = Number(form.get('rating'));
		if (typeof log !== 'string' || !Number.isInteger(rating))
			return fail(400, { message: 'Choose one of the ratings shown.' });
		const due = await selfRate(user.id, log, rating, now());
		if (!due) return fail(400, { message: 'That rating can no longer be given to this answer.' });
		redirect(303, reviewUrl);
	}
} satisfies Actions;
