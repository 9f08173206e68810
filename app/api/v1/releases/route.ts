import { apiRoute } from '@/lib/http/api-route';
import { limitParam } from '@/lib/queries/paging';
import { listReleases } from '@/lib/queries/releases';
import { requestRelease } from '@/lib/services';

export const GET = apiRoute(async ({ req, caller }) => {
  const q = new URL(req.url).searchParams;
  const items = await listReleases(caller, {
    model: q.get('model') ?? undefined,
    environment: q.get('environment') ?? undefined,
    state: q.get('state') ?? undefined,
    limit: limitParam(q.get('limit'), 100, 200),
  });
  return { data: { items } };
});

export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await requestRelease(caller, await body()) }));
