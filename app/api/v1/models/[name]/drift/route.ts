import { apiRoute } from '@/lib/http/api-route';
import { getModelDrift } from '@/lib/queries/drift';

/** Per feature and environment: the latest score with its method, threshold and convention, and a sparkline. */
export const GET = apiRoute<{ name: string }>(async ({ params, caller }) => ({ data: await getModelDrift(caller, params.name) }));
