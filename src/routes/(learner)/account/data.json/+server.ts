import { downloadPersonalData } from '$lib/server/http/account-privacy';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => downloadPersonalData();
