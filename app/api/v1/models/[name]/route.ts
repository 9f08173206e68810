import { apiRoute } from '@/lib/http/api-route';
import { getModel } from '@/lib/queries/models';

export const GET = apiRoute<{ name: string }>(async ({ req, params, caller }) => {
  const q = new URL(req.url).searchParams;
  return { data: await getModel(caller, params.name, { limit: q.get('limit') ?? undefined, cursor: q.get('cursor') ?? undefined }) };
});
