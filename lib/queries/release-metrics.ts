import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import { analysisRuns, auditEvents, metricSamples, releases } from '@/db/schema';
import { rowsOf, type Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { quantileFromHistogram } from '@/lib/domain/statistics';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';

/** A chart never ships more than about this many points per series, whatever the release's age. */
export const MAX_POINTS = 500;

export type SeriesPoint = {
  t: string; // bucket start, ISO
  variant: 'baseline' | 'canary';
  requests: number | null;
  errorRate: number | null; // %
  p50: number | null;
  p95: number | null;
  p99: number | null;
  kpis: Record<string, number>; // mean per KPI
};

/**
 * Baseline vs canary over time for one release, downsampled in the database: buckets are
 * widened so that at most MAX_POINTS remain, counters summed, histograms merged bucket by bucket
 * (so the quantiles of a wide bucket are exact for its histogram), KPI means from sum/count.
 * `since` returns only buckets from that time on, for live updates that append.
 */
export async function getReleaseSeries({ actor, db }: { actor: Actor | null; db: Database }, releaseId: string, opts: { since?: string } = {}): Promise<ReleaseSeries> {
  authorize(actor, 'dashboard.read', 'read release metrics');
  if (!/^[0-9a-f-]{36}$/i.test(releaseId)) throw notFound('The release');
  if (opts.since) return computeSeries(db, releaseId, opts);
  // Everyone opening the release page during an incident asks for the same full series: one
  // computation serves the requests of the same second (charts then append with ?since=).
  const cache = seriesCache();
  const hit = cache.get(releaseId);
  if (hit && Date.now() - hit.at < FULL_SERIES_TTL_MS) return hit.value;
  const value = computeSeries(db, releaseId, opts);
  cache.delete(releaseId);
  if (cache.size >= 100) cache.delete(cache.keys().next().value!);
  cache.set(releaseId, { at: Date.now(), value });
  value.catch(() => cache.delete(releaseId));
  return value;
}

const FULL_SERIES_TTL_MS = 2000;
export type ReleaseSeries = {
  widthSeconds: number | null;
  simulated: boolean;
  points: SeriesPoint[];
  verdicts: (typeof analysisRuns.$inferSelect)[];
  steps: Awaited<ReturnType<typeof weightChanges>>;
};
type Series = ReleaseSeries;
const CACHE_KEY = Symbol.for('flightdeck.release-series');
const seriesCache = () => ((globalThis as { [CACHE_KEY]?: Map<string, { at: number; value: Promise<Series> }> })[CACHE_KEY] ??= new Map());

async function computeSeries(db: Database, releaseId: string, opts: { since?: string }): Promise<ReleaseSeries> {
  const [release] = await db.select().from(releases).where(eq(releases.id, releaseId));
  if (!release) throw notFound('The release');

  const [range] = rowsOf<{ first: string | null; last: string | null; simulated: boolean | null }>(
    await db.execute(sql`select min(bucket_start) as first, max(bucket_start) as last, bool_or(simulated) as simulated from metric_samples where release_id = ${releaseId}`),
  );
  if (!range?.first) return { widthSeconds: null, points: [] as SeriesPoint[], simulated: false, verdicts: await verdictsOf(db, releaseId), steps: await weightChanges(db, releaseId) };
  const spanSeconds = Math.max(1, (Date.parse(String(range.last)) - Date.parse(String(range.first))) / 1000);
  const widthSeconds = Math.max(1, Math.ceil(spanSeconds / MAX_POINTS));
  // Any time JavaScript parses (years ±275,760), clamped to 1970–9999, which Postgres compares:
  // before the first bucket means all of them, after the last none.
  const sinceMs = opts.since ? Date.parse(opts.since) : Number.NaN;
  const since = Number.isNaN(sinceMs) ? null : new Date(Math.min(Math.max(sinceMs, 0), Date.parse('9999-12-31T23:59:59Z')));
  const bucket = sql`to_timestamp(floor(extract(epoch from ${metricSamples.bucketStart}) / ${widthSeconds}) * ${widthSeconds})`;
  const where = and(eq(metricSamples.releaseId, releaseId), since ? gte(metricSamples.bucketStart, since) : undefined);

  const [counters, histograms, kpis] = await Promise.all([
    db
      .select({ t: sql<string>`${bucket}`.as('t'), variant: metricSamples.variant, count: sql<number>`sum(${metricSamples.count})`, errors: sql<number>`sum(${metricSamples.errors})` })
      .from(metricSamples)
      .where(and(where, eq(metricSamples.kind, 'counter')))
      .groupBy(sql`1`, metricSamples.variant),
    db.execute(sql`
      select to_timestamp(floor(extract(epoch from bucket_start) / ${widthSeconds}) * ${widthSeconds}) as t, variant,
             (b->>'le')::float8 as le, sum((b->>'count')::float8) as count
      from metric_samples, jsonb_array_elements(histogram) as b
      where release_id = ${releaseId} and kind = 'histogram' ${since ? sql`and bucket_start >= ${since.toISOString()}::timestamptz` : sql``}
      group by 1, 2, 3 order by 1, 2, 3`),
    db
      .select({ t: sql<string>`${bucket}`.as('t'), variant: metricSamples.variant, metric: metricSamples.metric, count: sql<number>`sum(${metricSamples.count})`, sum: sql<number>`sum(${metricSamples.sum})` })
      .from(metricSamples)
      .where(and(where, eq(metricSamples.kind, 'kpi')))
      .groupBy(sql`1`, metricSamples.variant, metricSamples.metric),
  ]);

  const points = new Map<string, SeriesPoint>();
  const point = (t: unknown, variant: string) => {
    const iso = new Date(t as string).toISOString();
    const key = `${iso}|${variant}`;
    let p = points.get(key);
    if (!p) points.set(key, (p = { t: iso, variant: variant as SeriesPoint['variant'], requests: null, errorRate: null, p50: null, p95: null, p99: null, kpis: {} }));
    return p;
  };
  for (const c of counters) {
    const p = point(c.t, c.variant);
    p.requests = Number(c.count);
    p.errorRate = Number(c.count) > 0 ? (100 * Number(c.errors)) / Number(c.count) : null;
  }
  const merged = new Map<string, { le: number; count: number }[]>();
  for (const h of rowsOf<{ t: string; variant: string; le: number; count: number }>(histograms)) {
    const key = `${new Date(h.t).toISOString()}|${h.variant}`;
    (merged.get(key) ?? merged.set(key, []).get(key)!).push({ le: Number(h.le), count: Number(h.count) });
  }
  for (const [key, buckets] of merged) {
    const [t, variant] = key.split('|') as [string, string];
    const p = point(t, variant);
    p.p50 = quantileFromHistogram(buckets, 0.5);
    p.p95 = quantileFromHistogram(buckets, 0.95);
    p.p99 = quantileFromHistogram(buckets, 0.99);
  }
  for (const k of kpis) if (Number(k.count) > 0) point(k.t, k.variant).kpis[k.metric] = Number(k.sum) / Number(k.count);

  return {
    widthSeconds,
    simulated: Boolean(range.simulated),
    points: [...points.values()].sort((a, b) => a.t.localeCompare(b.t) || a.variant.localeCompare(b.variant)),
    verdicts: await verdictsOf(db, releaseId),
    steps: await weightChanges(db, releaseId),
  };
}

function verdictsOf(db: Database, releaseId: string) {
  return db.select().from(analysisRuns).where(eq(analysisRuns.releaseId, releaseId)).orderBy(asc(analysisRuns.intervalStart));
}

/** When the traffic weight changed: the start and every advance, from the audit chain. */
export async function weightChanges(db: Database, releaseId: string) {
  const rows = await db
    .select({ at: auditEvents.occurredAt, action: auditEvents.action, after: auditEvents.after })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, 'release'), eq(auditEvents.targetId, releaseId), inArray(auditEvents.action, ['release.start', 'release.advance', 'release.promote', 'release.rollback', 'release.abort'])))
    .orderBy(asc(auditEvents.seq));
  return rows.map((r) => ({ at: r.at.toISOString(), action: r.action.replace('release.', ''), weight: (r.after as { weight?: number } | null)?.weight ?? null }));
}
