// Reads a submitted form against a zod schema: text fields only, the entered values kept
// for redisplay (never passwords), and one message per field for the page to show beside it.
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';

export type FieldErrors = Record<string, string>;

export const NUL_MESSAGE =
	'The form contains a NUL character (U+0000), which no field accepts. Remove it and send the form again.';

/**
 * The submitted form; a body that is not a readable form is the sender's fault (400). Every
 * action reads its form here, so a refusal here covers every field: PostgreSQL's text cannot
 * hold a NUL character (it fails the statement, a 500 whose log would quote the values).
 */
export async function formDataOf(request: Request): Promise<FormData> {
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		// A body over the size limit keeps the 413 the adapter gives it.
		if ((e as { status?: unknown }).status === 413) throw e;
		error(400, 'The form could not be read. Please send it again from the page.');
	}
	for (const [key, value] of form)
		if (key.includes('\0') || (typeof value === 'string' && value.includes('\0')))
			error(400, NUL_MESSAGE);
	return form;
}

/**
 * A whole-number field a page's own script fills (such as a save's revision): undefined when
 * absent or empty; a message when it is not a whole number from `min` to `max`. The bounds stay
 * well inside PostgreSQL's integer (2,147,483,647), so a value never overflows a column.
 */
export function wholeNumberField(
	form: FormData,
	key: string,
	{ min = 0, max = 1_000_000_000 }: { min?: number; max?: number } = {}
): { ok: true; value: number | undefined } | { ok: false; message: string } {
	const raw = form.get(key);
	if (raw === null || raw === '') return { ok: true, value: undefined };
	const value = typeof raw === 'string' && /^\d{1,10}$/.test(raw.trim()) ? Number(raw) : NaN;
	if (!Number.isInteger(value) || value < min || value > max)
		return {
			ok: false,
			message: `The field ${key} must be a whole number from ${min} to ${max.toLocaleString('en')}.`
		};
	return { ok: true, value };
}

export type FormResult<T> =
	| { ok: true; data: T; values: Record<string, string> }
	| { ok: false; values: Record<string, string>; errors: FieldErrors };

const SECRET = /password|current/i;

export function readForm<S extends z.ZodObject>(
	formData: FormData,
	schema: S
): FormResult<z.infer<S>> {
	const raw: Record<string, string> = {};
	const errors: FieldErrors = {};
	for (const key of Object.keys(schema.shape)) {
		const all = formData.getAll(key);
		const value = all[0];
		if (value === undefined) continue;
		if (typeof value !== 'string') errors[key] = 'Send this field as text, not a file.';
		else if (all.length > 1) errors[key] = 'Send this field only once.';
		else raw[key] = value;
	}
	const values = Object.fromEntries(
		Object.entries(raw).filter(([k, v]) => !SECRET.test(k) && v.length <= 1000)
	);
	if (Object.keys(errors).length) return { ok: false, values, errors };
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? 'form');
			errors[field] ??= issue.message;
		}
		return { ok: false, values, errors };
	}
	return { ok: true, data: parsed.data, values };
}

const required = (label: string) => ({
	error: (issue: { input?: unknown }) =>
		issue.input === undefined ? `${label} is required.` : `${label} must be text.`
});

export const fields = {
	name: z
		.string(required('Name'))
		.trim()
		.min(1, 'Enter your name.')
		.max(80, 'Use at most 80 characters for your name.')
		.refine(
			(s) => ![...s].some((c) => c < ' ' || c === '\u007f'),
			'Your name contains invalid characters.'
		),
	email: z
		.string(required('Email'))
		.trim()
		.min(1, 'Enter your email address.')
		.max(254, 'That email address is too long.')
		.pipe(z.email('Enter a valid email address, like name@example.com.')),
	// Length is checked by the password policy, but a huge value is refused before any hashing.
	password: z
		.string(required('Password'))
		.min(1, 'Enter a password.')
		.max(512, 'Use at most 128 characters.'),
	currentPassword: z
		.string(required('Current password'))
		.min(1, 'Enter your current password.')
		.max(512, 'That is not your current password.')
};

/** The one shape every failed form action returns: values to redisplay, a message per field. */
export function formFailure(
	values: Record<string, string>,
	errors: FieldErrors,
	status = 400,
	action?: string
) {
	return fail(status, { action, values, errors });
}
