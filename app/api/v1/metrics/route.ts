import { apiRoute } from '@/lib/http/api-route';
import { ingestMetrics } from '@/lib/services/metrics/ingest-metrics';

// 10,000 samples with histograms need more room than the API's default 1 MB.
const MAX_METRICS_BODY = 8_000_000;

/** POST /api/v1/metrics { samples: [...], simulated?: boolean } — 202 once stored (all or nothing). */
export const POST = apiRoute(async ({ caller, body }) => ({ status: 202, data: await ingestMetrics(caller, await body(MAX_METRICS_BODY)) }));
