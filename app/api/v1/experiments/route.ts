import { apiRoute } from '@/lib/http/api-route';
import { listExperiments } from '@/lib/queries/experiments';
import { limitParam } from '@/lib/queries/paging';
import { createExperiment } from '@/lib/services';

export const GET = apiRoute(async ({ req, caller }) => {
  const limit = limitParam(new URL(req.url).searchParams.get('limit'), 100, 200);
  return { data: { items: await listExperiments(caller, { limit }) } };
});

export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await createExperiment(caller, await body()) }));
