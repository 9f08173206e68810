import { sql } from 'drizzle-orm';
import { anyId } from '@/db/any-id';
import { pgArray } from '@/db/pg-array';
import { releases } from '@/db/schema';
import { IngestMetricsInput, MAX_FUTURE_SKEW_MS } from '@/lib/domain/metrics-input';
import { invalid } from '../errors';
import { defineUseCase } from '../use-case';

// Rows per statement: one array parameter per column, so the limit is only about statement size.
const ROWS_PER_STATEMENT = 5000;

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
    // Each bucket's start parsed once: at 10,000 samples a request, every Date call shows.
    const starts = input.samples.map((s) => Date.parse(s.bucketStart));
    starts.forEach((start, i) => {
      if (start > latest) fields[`samples.${i}.bucketStart`] = ['Is in the future (more than 5 minutes ahead of the server clock)'];
    });
    const ids = [...new Set(input.samples.map((s) => s.releaseId))];
    const found = await tx.select({ id: releases.id, strategy: releases.strategy, routing: releases.routing }).from(releases).where(anyId(releases.id, ids));
    const variantsOf = new Map(found.map((r) => [r.id, variantsFor(r.strategy, r.routing)]));
    input.samples.forEach((s, i) => {
      const variants = variantsOf.get(s.releaseId);
      if (!variants) fields[`samples.${i}.releaseId`] = ['Unknown release'];
      else if (!variants.includes(s.variant)) fields[`samples.${i}.variant`] = [`This release reports ${variants.map((v) => `"${v}"`).join(' or ')}`];
    });
    if (Object.keys(fields).length) throw invalid('Some samples are not valid; nothing was stored.', fields);

    // A bucket sent twice in one batch counts once, the later one winning (as a re-delivery
    // would); Postgres refuses to upsert one row twice in a statement.
    const byBucket = new Map<string, { s: (typeof input.samples)[number]; start: number }>();
    input.samples.forEach((s, i) => byBucket.set(`${s.releaseId}|${s.metric}|${s.variant}|${starts[i]}`, { s, start: starts[i]! }));
    const rows = [...byBucket.values()];
    // One array per column, unpacked by the server with unnest: binding 12 parameters per row cost
    // most of the time of a large batch, and one jsonb document of rows was parsed key by key for
    // every row (12 % slower on Postgres than the arrays; bench/README.md). Each array is written
    // as its literal here (db/pg-array.ts), not by the driver, which quoted every element.
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const column = (value: (row: (typeof rows)[number]) => string | number | null) => pgArray(chunk.map(value));
      await tx.execute(sql`
        insert into metric_samples (release_id, variant, metric, kind, bucket_start, count, errors, sum, sum_squares, histogram, simulated, received_at)
        select release_id, variant, metric, kind, to_timestamp(bucket_start / 1000.0), count, errors, sum, sum_squares, histogram, ${input.simulated}, ${now.toISOString()}::timestamptz
        from unnest(
          ${column(({ s }) => s.releaseId)}::uuid[], ${column(({ s }) => s.variant)}::text[], ${column(({ s }) => s.metric)}::text[], ${column(({ s }) => s.kind)}::text[],
          -- Epoch milliseconds: Postgres makes the timestamp (to_timestamp above, exact to the microsecond).
          ${column(({ start }) => start)}::float8[], ${column(({ s }) => s.count)}::float8[], ${column(({ s }) => s.errors)}::float8[],
          ${column(({ s }) => s.sum ?? null)}::float8[], ${column(({ s }) => s.sumSquares ?? null)}::float8[],
          ${column(({ s }) => (s.histogram ? JSON.stringify(s.histogram) : null))}::jsonb[]
        ) as x(release_id, variant, metric, kind, bucket_start, count, errors, sum, sum_squares, histogram)
        on conflict (release_id, metric, variant, bucket_start) do update set
          kind = excluded.kind, count = excluded.count, errors = excluded.errors, sum = excluded.sum, sum_squares = excluded.sum_squares,
          histogram = excluded.histogram, simulated = excluded.simulated, received_at = excluded.received_at`);
    }
    return { stored: rows.length };
  },
});
