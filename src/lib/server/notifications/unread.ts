// The header's unread count, as one SQL expression: the session query carries it on every page
// (auth/session.ts), and unreadCount reads it again after a change within a request.
import { sql, type SQLWrapper } from 'drizzle-orm';
import { notifications } from '../db/schema';

/** Shown as "99+" beyond this; counting stops there so the query stays cheap. */
export const UNREAD_CAP = 100;

/** The unread notices of `userId` (a value or a column), counted up to the cap. */
export const unreadOf = (userId: string | SQLWrapper) =>
	sql<number>`(select count(*)::int from (select 1 from ${notifications}
		where ${notifications.userId} = ${userId} and ${notifications.readAt} is null
		limit ${UNREAD_CAP}) as unread)`;
