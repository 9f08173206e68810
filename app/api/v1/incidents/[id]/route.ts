import { apiRoute } from '@/lib/http/api-route';
import { getIncident } from '@/lib/queries/incidents';

/** An incident with its timeline, durations, responders and postmortem. */
export const GET = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: await getIncident(caller, params.id) }));
