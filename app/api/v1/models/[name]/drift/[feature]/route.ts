import { apiRoute } from '@/lib/http/api-route';
import { getFeatureDrift } from '@/lib/queries/drift';

/**
 * Reference vs latest window per bin, and the score over time (?version= &environment=). Next has
 * already decoded the feature once; decoding it again made any "%" left in it (`/drift/a%25`) a
 * URIError, i.e. a 500 instead of a 404. Feature names hold no "%", so nothing else changes.
 */
export const GET = apiRoute<{ name: string; feature: string }>(async ({ req, params, caller }) => {
  const q = new URL(req.url).searchParams;
  return { data: await getFeatureDrift(caller, params.name, params.feature, { version: q.get('version') ?? undefined, environment: q.get('environment') ?? undefined }) };
});
