import { apiRoute } from '@/lib/http/api-route';
import { getReleaseSeries } from '@/lib/queries/release-metrics';

/** Baseline vs canary series (downsampled to ≤ 500 points each) and the analysis verdicts; ?since= for live appends. */
export const GET = apiRoute<{ id: string }>(async ({ req, params, caller }) => ({
  data: await getReleaseSeries(caller, params.id, { since: new URL(req.url).searchParams.get('since') ?? undefined }),
}));
