import type { SessionUser, ValidSession } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			id?: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: (ValidSession & { token: string }) | null;
			/** Unread notifications when the request arrived (read with the session). */
			unread: number;
			/** Names this request in the log (and in X-Request-Id). */
			requestId?: string;
		}
	}
}

export {};
