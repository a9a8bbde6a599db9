// Refuses a URL holding a NUL character (%00) before any page reads it: PostgreSQL's text cannot
// hold one, so a search or an id carrying it would fail its statement (a 500). Form fields are
// refused where every form is read (forms.ts).
import { error, type Handle } from '@sveltejs/kit';

export const refuseNulInUrl: Handle = ({ event, resolve }) => {
	const { pathname, search } = event.url;
	if (/%00/i.test(pathname) || /%00/i.test(search) || search.includes('\0'))
		error(400, 'The address contains a NUL character (%00), which no page accepts.');
	return resolve(event);
};
