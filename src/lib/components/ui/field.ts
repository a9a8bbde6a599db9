// What every form field shares: the ids of its hint and error, and the aria-describedby that ties
// both to the control, so a screen reader reads them with it.

export interface FieldText {
	/** A line under the label, read with the control. */
	hint?: string;
	/** The server's message for this field (from `fail(400, { errors })`), announced when shown. */
	error?: string;
}

export const hintId = (id: string) => `${id}-hint`;
export const errorId = (id: string) => `${id}-error`;

/** The aria-describedby of a control: its hint, then its error; undefined when it has neither. */
export function describedBy(id: string, { hint, error }: FieldText): string | undefined {
	return [hint ? hintId(id) : '', error ? errorId(id) : ''].filter(Boolean).join(' ') || undefined;
}
