import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { metricSamples } from '@/db/schema';
import { getReleaseSeries, MAX_POINTS } from '@/lib/queries/release-metrics';
import { createEnvironment, createModel, ingestMetrics, registerVersion, requestRelease, startRelease } from '@/lib/services';
import { HEALTHY, mulberry32, simulateSecond, toSamples } from '@/lib/simulator/traffic';
import { setUp } from '../support/fixtures';
import { userActor } from '../support/actors';
import { openTestDatabase, targets } from '../support/test-db';

// The chart query on both drivers: raw SQL parameters (dates!) behave differently on each.
describe.each(targets)('release chart series on $name', ({ name }) => {
  let handle: DbHandle;
  let releaseId: string;
  const t0 = Date.parse('2026-11-26T10:00:00Z');
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    const db = handle.db;
    await createEnvironment(setUp(db), { name: 'canary-env', rank: 1, policy: { requiredChecks: [], thresholds: {} } });
    await createModel(setUp(db), { name: 'charted', ownerTeam: 'ml' });
    await registerVersion(setUp(db), { model: 'charted', version: '1.0.0', artifactUri: 's3://a/b', artifactDigest: `sha256:${'a'.repeat(64)}` });
    const release = await requestRelease(setUp(db), { model: 'charted', version: '1.0.0', environment: 'canary-env', strategy: 'canary', plan: [{ weight: 20 }, { weight: 100 }] });
    await startRelease(setUp(db), { releaseId: release.id });
    releaseId = release.id;
    const random = mulberry32(7);
    const samples = Array.from({ length: 120 }, (_, s) => toSamples(releaseId, new Date(t0 + s * 1000), simulateSecond(HEALTHY, 20, random))).flat();
    await ingestMetrics({ actor: userActor(['ml_lead']), db, now: new Date(t0 + 130_000) }, { samples, simulated: true });
  });
  afterAll(async () => handle?.close());

  it('returns baseline and canary per bucket with error rates and latency quantiles', async () => {
    const series = await getReleaseSeries({ actor: userActor([]), db: handle.db }, releaseId);
    expect(series.simulated).toBe(true);
    expect(series.widthSeconds).toBe(1);
    expect(series.points).toHaveLength(240);
    const canary = series.points.filter((p) => p.variant === 'canary');
    expect(canary.every((p) => p.requests === 200 && p.errorRate !== null && p.p99! > p.p50!)).toBe(true);
    expect(series.points.length / 2).toBeLessThanOrEqual(MAX_POINTS);
  });

  it('returns only the buckets since a time, for live appends', async () => {
    const since = new Date(t0 + 110_000).toISOString();
    const series = await getReleaseSeries({ actor: userActor([]), db: handle.db }, releaseId, { since });
    expect(series.points.map((p) => p.t).every((t) => t >= since)).toBe(true);
    expect(series.points).toHaveLength(20);
    expect(series.points.every((p) => p.p50 !== null)).toBe(true);
  });

  it('stores each bucket once: a re-delivered bucket, or one sent twice in a batch, replaces it (the later one wins)', async () => {
    const db = handle.db;
    const at = new Date(t0 + 3_600_000).toISOString();
    const bucket = (count: number, errors: number) => ({ releaseId, variant: 'canary', metric: 'error_rate', kind: 'counter' as const, bucketStart: at, count, errors });
    const caller = { actor: userActor(['ml_lead']), db, now: new Date(t0 + 3_700_000) };
    await expect(ingestMetrics(caller, { samples: [bucket(10, 1), bucket(20, 2)] })).resolves.toEqual({ stored: 1 });
    await ingestMetrics(caller, { samples: [bucket(30, 3)] });
    const rows = await db.select().from(metricSamples).where(and(eq(metricSamples.releaseId, releaseId), eq(metricSamples.bucketStart, new Date(at))));
    expect(rows.map((r) => ({ count: r.count, errors: r.errors, variant: r.variant }))).toEqual([{ count: 30, errors: 3, variant: 'canary' }]);
  });

  // The batch goes to Postgres as one array per column: every field comes back as sent, nulls included.
  it('stores every field of every kind as sent', async () => {
    const db = handle.db;
    const at = (s: number) => new Date(t0 + 7_200_000 + s * 1000).toISOString();
    const caller = { actor: userActor(['ml_lead']), db, now: new Date(t0 + 7_300_000) };
    const histogram = [{ le: 5, count: 3 }, { le: 25.5, count: 6 }, { le: 100, count: 1 }];
    await ingestMetrics(caller, {
      samples: [
        { releaseId, variant: 'baseline', metric: 'latency_ms', kind: 'histogram', bucketStart: at(0), count: 10, errors: 0, histogram },
        { releaseId, variant: 'canary', metric: 'revenue', kind: 'kpi', bucketStart: at(0), count: 4, errors: 0, sum: 12.25, sumSquares: 40.0625 },
        { releaseId, variant: 'canary', metric: 'error_rate', kind: 'counter', bucketStart: '2026-11-26T12:00:01.5Z', count: 7, errors: 2 },
      ],
    });
    const rows = (await db.select().from(metricSamples).where(and(eq(metricSamples.releaseId, releaseId), eq(metricSamples.simulated, false)))).filter(
      (r) => r.bucketStart.getTime() >= t0 + 7_200_000,
    );
    expect(rows).toHaveLength(3);
    const byMetric = Object.fromEntries(rows.map((r) => [r.metric, r]));
    expect(byMetric.latency_ms).toMatchObject({ variant: 'baseline', kind: 'histogram', count: 10, errors: 0, sum: null, sumSquares: null, histogram, bucketStart: new Date(at(0)) });
    expect(byMetric.revenue).toMatchObject({ variant: 'canary', kind: 'kpi', count: 4, sum: 12.25, sumSquares: 40.0625, histogram: null });
    expect(byMetric.error_rate).toMatchObject({ count: 7, errors: 2, histogram: null, bucketStart: new Date('2026-11-26T12:00:01.500Z') });
    expect(rows.every((r) => r.receivedAt.getTime() === t0 + 7_300_000)).toBe(true);
  });
});
