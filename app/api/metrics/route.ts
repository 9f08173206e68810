import { getDbHandle } from '@/db';
import { apiRoute } from '@/lib/http/api-route';
import { collectDatabaseGauges, metrics } from '@/lib/server/observability/metrics';
import { authorize } from '@/lib/services/authorize';

/**
 * Flightdeck's own metrics in Prometheus text format: /api/v1 request rates and latencies by route,
 * controller ticks and decisions, webhook outbox backlog, database reachability, and canary vs
 * baseline values of every running release's latest analysis. Readable by anyone who may read the
 * dashboard: Prometheus scrapes with a read-scoped API key (authorization: Bearer fd_…).
 */
export const GET = apiRoute(async ({ caller }) => {
  authorize(caller.actor, 'dashboard.read', 'read metrics');
  const handle = await getDbHandle();
  await collectDatabaseGauges(caller.db, handle.driver);
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
});
