import { apiRoute } from '@/lib/http/api-route';
import { getRouting } from '@/lib/queries/routing';
import { invalid } from '@/lib/services/errors';

/**
 * GET /api/v1/services/{service}/routing?environment=production — the desired split for routers,
 * mesh controllers and GitOps jobs. Send If-None-Match with the last ETag: 304 until it changes.
 */
export const GET = apiRoute<{ service: string }>(async ({ req, params, caller }) => {
  const environment = new URL(req.url).searchParams.get('environment');
  if (!environment) throw invalid('Say which environment.', { environment: ['Required, e.g. ?environment=production'] });
  const { routing, etag } = await getRouting(caller, params.service, environment);
  const headers = { etag, 'cache-control': 'no-cache' };
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return Response.json(routing, { headers });
});
