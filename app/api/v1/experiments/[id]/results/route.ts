import { apiRoute } from '@/lib/http/api-route';
import { getExperimentResults } from '@/lib/queries/experiments';

/** Every number the experiment page shows: per-arm statistics, lifts, intervals, SRM, decision, series. */
export const GET = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: await getExperimentResults(caller, params.id) }));
