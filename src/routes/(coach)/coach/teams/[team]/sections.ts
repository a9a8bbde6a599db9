// The team page's sections. Each is the same page with `?section=…`: a plain link, so the menu
// works without JavaScript, and each section loads and shows only its own part (a phone scrolls
// one short section, not the whole team).

export const SECTIONS = [
	['progress', 'Progress'],
	['assignments', 'Assignments'],
	['invitations', 'Invitations'],
	['coaches', 'Coaches'],
	['settings', 'Settings']
] as const;

export type Section = (typeof SECTIONS)[number][0];

/** The section a URL asks for; Progress when it names none, or one that does not exist. */
export function sectionOf(url: URL): Section {
	const asked = url.searchParams.get('section');
	return SECTIONS.find(([id]) => id === asked)?.[0] ?? 'progress';
}
