import { apiRoute } from '@/lib/http/api-route';
import { getExperiment } from '@/lib/queries/experiments';

export const GET = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: await getExperiment(caller, params.id) }));
