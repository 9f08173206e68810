import { apiRoute } from '@/lib/http/api-route';
import { listIncidents } from '@/lib/queries/incidents';
import { limitParam } from '@/lib/queries/paging';

/** Incidents, newest first, with time to detect and to roll back, and the mean and median time to roll back. */
export const GET = apiRoute(async ({ req, caller }) => ({ data: await listIncidents(caller, limitParam(new URL(req.url).searchParams.get('limit'), 100, 500)) }));
