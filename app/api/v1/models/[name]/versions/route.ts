import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { getModel } from '@/lib/queries/models';
import { registerVersion } from '@/lib/services';

type Params = { name: string };

export const GET = apiRoute<Params>(async ({ req, params, caller }) => {
  const q = new URL(req.url).searchParams;
  const { versions, nextCursor } = await getModel(caller, params.name, { limit: q.get('limit') ?? undefined, cursor: q.get('cursor') ?? undefined });
  return { data: { items: versions, nextCursor } };
});

/** 201 when registered; 200 with the stored version when the identical payload was already registered. */
export const POST = apiRoute<Params>(async ({ params, caller, body }) => {
  const result = await registerVersion(caller, withParams(await body(), { model: params.name }));
  return { status: result.created ? 201 : 200, data: result.version };
});
