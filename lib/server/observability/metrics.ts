import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rowsOf, type Database } from '@/db';

/**
 * Flightdeck's own Prometheus metrics, served at /api/metrics. One registry per process, kept on
 * globalThis because Next.js may load this module once per bundle (route handlers, the
 * instrumentation hook that runs the controller) and they must all count into the same one.
 */
function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'flightdeck_' }); // flightdeck_process_*, flightdeck_nodejs_*
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpRequests: new Counter({ name: 'flightdeck_http_requests_total', help: '/api/v1 requests by route template, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'flightdeck_http_request_duration_seconds', help: '/api/v1 request latency by route template and method', labelNames: ['route', 'method'], buckets: seconds, registers: [registry] }),
    tickDuration: new Histogram({ name: 'flightdeck_controller_tick_duration_seconds', help: 'One controller pass over the running releases', buckets: seconds, registers: [registry] }),
    tickDecisions: new Counter({ name: 'flightdeck_controller_decisions_total', help: 'What controller ticks did: analysed intervals, advanced steps, rollbacks, pauses', labelNames: ['decision'], registers: [registry] }),
    tickErrors: new Counter({ name: 'flightdeck_controller_tick_errors_total', help: 'Controller ticks that failed', registers: [registry] }),
    isLeader: new Gauge({ name: 'flightdeck_controller_leader', help: '1 when this instance runs the controller', registers: [registry] }),
    outboxPending: new Gauge({ name: 'flightdeck_outbox_pending', help: 'Webhook events waiting to be delivered', registers: [registry] }),
    outboxOldest: new Gauge({ name: 'flightdeck_outbox_oldest_pending_seconds', help: 'Age of the oldest undelivered webhook event (0 when none)', registers: [registry] }),
    outboxFailed: new Gauge({ name: 'flightdeck_outbox_failed', help: 'Webhook events that gave up after their retries', registers: [registry] }),
    dbUp: new Gauge({ name: 'flightdeck_database_up', help: '1 when the database answered the scrape query', labelNames: ['driver'], registers: [registry] }),
    dbScrape: new Gauge({ name: 'flightdeck_database_scrape_seconds', help: 'How long the scrape-time database queries took', registers: [registry] }),
    releaseWeight: new Gauge({ name: 'flightdeck_release_canary_weight_percent', help: 'Traffic share of the candidate in each running release', labelNames: ['release', 'model', 'environment', 'version'], registers: [registry] }),
    releaseMetric: new Gauge({
      name: 'flightdeck_release_analysis_value',
      help: 'Baseline and canary value of each metric in the latest analysis interval of a running release (rates as fractions, latency in ms)',
      labelNames: ['release', 'model', 'environment', 'metric', 'variant'],
      registers: [registry],
    }),
    releaseVerdict: new Gauge({ name: 'flightdeck_release_analysis_score', help: 'Score (0–100) of the latest analysis interval of a running release', labelNames: ['release', 'model', 'environment', 'verdict'], registers: [registry] }),
  };
}
export type FlightdeckMetrics = ReturnType<typeof create>;

const KEY = Symbol.for('flightdeck.metrics');
export function metrics(): FlightdeckMetrics {
  const g = globalThis as { [KEY]?: FlightdeckMetrics };
  return (g[KEY] ??= create());
}

/**
 * The route template of a request: each path segment equal to a param value becomes `[name]`,
 * so `/api/v1/models/fraud/versions/1.0.0` counts as `/api/v1/models/[name]/versions/[version]`
 * (bounded label values, whatever the ids are).
 */
export function routeTemplate(pathname: string, params: Record<string, unknown> | undefined): string {
  const byValue = new Map(Object.entries(params ?? {}).filter(([, v]) => typeof v === 'string').map(([k, v]) => [encodeURIComponent(v as string), k]));
  return pathname
    .split('/')
    .map((segment) => (byValue.has(segment) ? `[${byValue.get(segment)}]` : segment))
    .join('/');
}

/** Gauges read from the database at scrape time: outbox backlog, running releases and their latest analysis. */
export async function collectDatabaseGauges(db: Database, driver: string): Promise<void> {
  const m = metrics();
  const started = performance.now();
  try {
    const [outbox] = rowsOf<{ pending: number; failed: number; oldest: number }>(
      await db.execute(sql`
      select count(*) filter (where state = 'pending')::int as pending,
             count(*) filter (where state = 'failed')::int as failed,
             coalesce(extract(epoch from now() - min(created_at) filter (where state = 'pending')), 0)::float8 as oldest
      from outbox`),
    );
    m.outboxPending.set(Number(outbox?.pending ?? 0));
    m.outboxFailed.set(Number(outbox?.failed ?? 0));
    m.outboxOldest.set(Number(outbox?.oldest ?? 0));

    const running = rowsOf<{ id: string; model: string; environment: string; version: string; weight: number; verdict: string | null; score: number | null; metrics: unknown }>(
      await db.execute(sql`
      select r.id, m.name as model, e.name as environment, v.version, r.current_weight as weight,
             a.verdict, a.score, a.metrics
      from releases r
      join models m on m.id = r.model_id
      join environments e on e.id = r.environment_id
      join model_versions v on v.id = r.version_id
      left join lateral (select verdict, score, metrics from analysis_runs where release_id = r.id order by interval_start desc limit 1) a on true
      where r.state = 'running'
      limit 500`),
    );
    // Releases that finished since the last scrape must disappear, not keep their last value.
    m.releaseWeight.reset();
    m.releaseMetric.reset();
    m.releaseVerdict.reset();
    for (const r of running) {
      m.releaseWeight.set({ release: r.id, model: r.model, environment: r.environment, version: r.version }, Number(r.weight));
      if (r.verdict && r.score !== null) m.releaseVerdict.set({ release: r.id, model: r.model, environment: r.environment, verdict: r.verdict }, Number(r.score));
      for (const metric of Array.isArray(r.metrics) ? (r.metrics as { metric?: string; numbers?: Record<string, number | null> }[]) : []) {
        for (const variant of ['baseline', 'canary'] as const) {
          const value = metric.numbers?.[variant];
          if (metric.metric && typeof value === 'number' && Number.isFinite(value)) m.releaseMetric.set({ release: r.id, model: r.model, environment: r.environment, metric: metric.metric, variant }, value);
        }
      }
    }
    m.dbUp.set({ driver }, 1);
  } catch {
    m.dbUp.set({ driver }, 0);
  } finally {
    m.dbScrape.set((performance.now() - started) / 1000);
  }
}
