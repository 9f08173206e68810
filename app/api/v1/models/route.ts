import { apiRoute } from '@/lib/http/api-route';
import { listModels } from '@/lib/queries/models';
import { createModel } from '@/lib/services';

export const GET = apiRoute(async ({ req, caller }) => {
  const q = new URL(req.url).searchParams;
  const data = await listModels(caller, { q: q.get('q') ?? undefined, owner: q.get('owner') ?? undefined, limit: q.get('limit') ?? undefined, cursor: q.get('cursor') ?? undefined });
  return { data };
});

export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await createModel(caller, await body()) }));
