import { apiRoute } from '@/lib/http/api-route';
import { getFeatureDrift } from '@/lib/queries/drift';

/** Reference vs latest window per bin, and the score over time (?version= &environment=). */
export const GET = apiRoute<{ name: string; feature: string }>(async ({ req, params, caller }) => {
  const q = new URL(req.url).searchParams;
  return { data: await getFeatureDrift(caller, params.name, decodeURIComponent(params.feature), { version: q.get('version') ?? undefined, environment: q.get('environment') ?? undefined }) };
});
