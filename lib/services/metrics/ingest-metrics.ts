import { inArray, sql } from 'drizzle-orm';
import { metricSamples, releases } from '@/db/schema';
import { IngestMetricsInput, MAX_FUTURE_SKEW_MS } from '@/lib/domain/metrics-input';
import { invalid } from '../errors';
import { defineUseCase } from '../use-case';

// Postgres allows 65,535 bind parameters per statement; 12 columns × 2,000 rows stays well below.
const ROWS_PER_STATEMENT = 2000;

/**
 * Stores a batch of metric samples, all or nothing. Re-delivering a bucket (same release,
 * metric, variant and start) replaces it, so a router that retries never double counts.
 * Fails with: forbidden (needs a metrics-scoped key or ML lead); invalid (names the sample index
 * and field: unknown release, bad variant, negative or non-finite numbers, a bucket in the future,
 * more than 10,000 samples).
 */
/** The variants a release's metrics are reported under: baseline and canary, or an experiment's arms. */
function variantsFor(strategy: string, routing: unknown): string[] {
  if (strategy !== 'ab') return ['baseline', 'canary'];
  const versions = (routing as { versions?: { version: string }[] }).versions ?? [];
  return ['control', ...versions.slice(1).map((v) => `treatment:${v.version}`)];
}

export const ingestMetrics = defineUseCase({
  name: 'metrics.ingest',
  permission: 'metrics.ingest',
  summary: 'Push metric samples',
  input: IngestMetricsInput,
  notAudited: 'telemetry is data, not a decision; the decisions it leads to are audited',
  async run({ tx, now }, input) {
    const fields: Record<string, string[]> = {};
    const latest = now.getTime() + MAX_FUTURE_SKEW_MS;
    input.samples.forEach((s, i) => {
      if (Date.parse(s.bucketStart) > latest) fields[`samples.${i}.bucketStart`] = ['Is in the future (more than 5 minutes ahead of the server clock)'];
    });
    const ids = [...new Set(input.samples.map((s) => s.releaseId))];
    const found = await tx.select({ id: releases.id, strategy: releases.strategy, routing: releases.routing }).from(releases).where(inArray(releases.id, ids));
    const variantsOf = new Map(found.map((r) => [r.id, variantsFor(r.strategy, r.routing)]));
    input.samples.forEach((s, i) => {
      const variants = variantsOf.get(s.releaseId);
      if (!variants) fields[`samples.${i}.releaseId`] = ['Unknown release'];
      else if (!variants.includes(s.variant)) fields[`samples.${i}.variant`] = [`This release reports ${variants.map((v) => `"${v}"`).join(' or ')}`];
    });
    if (Object.keys(fields).length) throw invalid('Some samples are not valid; nothing was stored.', fields);

    const rows = input.samples.map((s) => ({
      releaseId: s.releaseId,
      variant: s.variant,
      metric: s.metric,
      kind: s.kind,
      bucketStart: new Date(s.bucketStart),
      count: s.count,
      errors: s.errors,
      sum: s.sum ?? null,
      sumSquares: s.sumSquares ?? null,
      histogram: s.histogram ?? null,
      simulated: input.simulated,
      receivedAt: now,
    }));
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await tx
        .insert(metricSamples)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoUpdate({
          target: [metricSamples.releaseId, metricSamples.metric, metricSamples.variant, metricSamples.bucketStart],
          set: {
            kind: sql`excluded.kind`,
            count: sql`excluded.count`,
            errors: sql`excluded.errors`,
            sum: sql`excluded.sum`,
            sumSquares: sql`excluded.sum_squares`,
            histogram: sql`excluded.histogram`,
            simulated: sql`excluded.simulated`,
            receivedAt: sql`excluded.received_at`,
          },
        });
    }
    return { stored: rows.length };
  },
});
