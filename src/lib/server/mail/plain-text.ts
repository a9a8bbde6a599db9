// Text that people wrote (team names, coach names) as it may appear in a mail: one plain line,
// of bounded length, which no mail client turns into a link. Mail is plain text, so this is the
// whole of the escaping it needs; a name must not add lines or lead the reader to a site.

const LINKISH = /([a-z][a-z0-9+.-]*:\/\/|www\.|[a-z0-9-]+\.[a-z]{2,}\b|@)/i;

/**
 * Line breaks, tabs and other control or invisible characters become single spaces; the text
 * is cut to `max` characters (with "…"). Anything a mail client could read as a link or an
 * address ("https://…", "www.…", "evil.test", "a@b") has its dots, colons and at signs
 * bracketed ("evil[.]test"), the usual way of quoting a link so that it cannot be followed.
 */
export function plainLine(text: string, max = 80): string {
	let line = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
	if ([...line].length > max)
		line =
			[...line]
				.slice(0, max - 1)
				.join('')
				.trimEnd() + '…';
	if (LINKISH.test(line)) line = line.replace(/[.:@]/g, (c) => `[${c}]`);
	return line;
}
