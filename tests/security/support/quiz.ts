// Reads an open attempt's form as a browser without JavaScript shows it, and answers it by the
// text on screen: the values a form sends are per-attempt ids, so they must be read, not known.
import { type Client, expectStatus, FIXTURE } from './client';

interface Select {
	name: string;
	/** Option text → value. */
	options: Map<string, string>;
}

export interface AttemptForm {
	shown: string[];
	/** Field → choice text → value (radio buttons and checkboxes). */
	choices: Map<string, Map<string, string>>;
	/** The text beside a select (an ordering step) → the select. */
	selects: Map<string, Select>;
	/** A matching item's text → the field of its radio group. */
	matchItems: Map<string, string>;
}

const text = (html: string) =>
	html
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

export function readAttemptForm(html: string): AttemptForm {
	const shown = [...html.matchAll(/<input type="hidden" name="shown" value="([^"]+)"/g)].map(
		(m) => m[1]!
	);
	const choices = new Map<string, Map<string, string>>();
	for (const m of html.matchAll(
		/<input type="(?:radio|checkbox)" name="(q\.[^"]+)" value="([^"]+)"[^>]*\/?>\s*<span>([^<]*)<\/span>/g
	)) {
		if (!choices.has(m[1]!)) choices.set(m[1]!, new Map());
		choices.get(m[1]!)!.set(m[3]!.trim(), m[2]!);
	}
	const selects = new Map<string, Select>();
	for (const label of html.matchAll(
		/<label[^>]*>((?:(?!<\/label>)[\s\S])*?<select[\s\S]*?)<\/label>/g
	)) {
		const inner = label[1]!;
		const select = inner.match(/<select name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/);
		if (!select) continue;
		const options = new Map(
			[...select[2]!.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)]
				.filter((o) => o[1])
				.map((o) => [o[2]!.trim(), o[1]!])
		);
		selects.set(text(inner.replace(select[0], '')), { name: select[1]!, options });
	}
	const matchItems = new Map<string, string>();
	for (const m of html.matchAll(
		/<fieldset class="match[^"]*">(?:\s|<!--[^>]*-->)*<legend[^>]*>([^<]*)<\/legend>[\s\S]*?name="(q\.[^"]+)"/g
	))
		matchItems.set(m[1]!.trim(), m[2]!);
	return { shown, choices, selects, matchItems };
}

export class Answering {
	readonly fields: [string, string][] = [];
	constructor(readonly form: AttemptForm) {
		for (const id of form.shown) this.fields.push(['shown', id]);
	}
	choose(question: string, ...labels: string[]) {
		for (const label of labels) {
			const value = this.form.choices.get(`q.${question}`)?.get(label);
			if (!value) throw new Error(`no choice "${label}" in q.${question}`);
			this.fields.push([`q.${question}`, value]);
		}
		return this;
	}
	type(question: string, value: string) {
		this.fields.push([`q.${question}`, value]);
		return this;
	}
	/** Picks `option` for the select or matching item labelled `label`. */
	select(label: string, option: string) {
		const item = this.form.matchItems.get(label);
		const answer = item && this.form.choices.get(item)?.get(option);
		if (answer) {
			this.fields.push([item, answer]);
			return this;
		}
		const s = this.form.selects.get(label);
		const value = s?.options.get(option);
		if (!s || !value) throw new Error(`no select "${label}" with "${option}"`);
		this.fields.push([s.name, value]);
		return this;
	}
}

export async function answering(client: Client, path: string) {
	return new Answering(readAttemptForm(await client.text(path)));
}

const QUIZ = (module: string) => `${FIXTURE}/${module}/quiz`;

/** Starts and submits a quiz with these answers; returns the result page's path. */
export async function takeQuiz(
	client: Client,
	path: string,
	answer: (a: Answering) => Answering
): Promise<string> {
	expectStatus(await client.post(`${path}?/start`), 303);
	const a = answer(await answering(client, path));
	const res = expectStatus(await client.post(`${path}?/submit`, a.fields), 303);
	return res.headers.get('location')!;
}

export const basicsRight = (a: Answering) =>
	a
		.choose('warm-first', 'Warm the pot')
		.choose('brew-steps', 'Measure the leaves', 'Time the brew')
		.choose('fresh-water', 'True');

export const examRight = (a: Answering) =>
	a
		.select('Black tea', 'Just off the boil')
		.select('Green tea', 'Around 80 °C')
		.type('leaves-per-cup', '1')
		.choose('brew-minutes', 'About four minutes');

/** Enrols in the fixture course and passes both modules: the final exam is then open. */
export async function passModules(client: Client): Promise<void> {
	expectStatus(await client.post(`${FIXTURE}?/enrol`), 303);
	for (const lesson of ['basics/first-steps', 'basics/second-steps', 'advanced/deep-dive'])
		expectStatus(await client.post(`${FIXTURE}/${lesson}?/done`), 303);
	await takeQuiz(client, QUIZ('basics'), basicsRight);
	await takeQuiz(client, QUIZ('advanced'), (a) =>
		a
			.type('green-temperature', '80')
			.type('reuse-name', 'infusion')
			.select('Boil the water', '1')
			.select('Pour it over the leaves', '2')
			.select('Strain the tea', '3')
	);
}

/** The whole fixture course, every answer right; returns the id of the certificate it earns. */
export async function completeFixtureCourse(client: Client): Promise<string> {
	await passModules(client);
	const result = await takeQuiz(client, `${FIXTURE}/exam`, examRight);
	const earned = result.match(/\?earned=([0-9a-f-]{36})$/)?.[1];
	if (!earned) throw new Error(`the final exam did not earn a certificate: ${result}`);
	return earned;
}
