import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { releases } from './releases';

/** One time bucket of one metric for one variant of a release. Counters, histogram buckets and
 * KPI moments all fit: count, sum and sum of squares, plus optional histogram buckets. */
export const metricSamples = pgTable(
  'metric_samples',
  {
    // No foreign key to releases, and no surrogate id: a push writes thousands of rows, and each
    // row's key check and id index cost a fifth of its insert (migration 0019). The ingest use
    // case checks every release in its transaction, and releases are never deleted.
    releaseId: uuid('release_id').notNull(),
    variant: text('variant').notNull(), // baseline | canary | control | treatment:<name>
    metric: text('metric').notNull(),
    kind: text('kind').notNull(), // counter | histogram | kpi
    bucketStart: timestamp('bucket_start', { withTimezone: true }).notNull(),
    count: doublePrecision('count').notNull().default(0), // requests, units or observations
    errors: doublePrecision('errors').notNull().default(0), // errors or conversions
    sum: doublePrecision('sum'),
    sumSquares: doublePrecision('sum_squares'),
    histogram: jsonb('histogram'), // [{ le: ms, count }]
    simulated: boolean('simulated').notNull().default(false), // true when the demo simulator sent it
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One row per bucket: re-delivery of the same bucket replaces it instead of double counting.
    // Time second, so that this one index also serves every read (a release's samples, or those
    // of a time window): a second index cost Postgres a third of its work per push (migration 0020).
    primaryKey({ name: 'metric_samples_pkey', columns: [t.releaseId, t.bucketStart, t.metric, t.variant] }),
  ],
);

/** One judgement of canary against baseline for one interval. */
export const analysisRuns = pgTable(
  'analysis_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    releaseId: uuid('release_id').notNull().references(() => releases.id),
    step: integer('step').notNull(),
    intervalStart: timestamp('interval_start', { withTimezone: true }).notNull(),
    intervalEnd: timestamp('interval_end', { withTimezone: true }).notNull(),
    verdict: text('verdict').notNull(), // pass | marginal | fail | inconclusive
    score: real('score'),
    metrics: jsonb('metrics').notNull().default([]), // per-metric numbers behind the verdict
    summary: text('summary').notNull().default(''),
    // Traffic split check and the smallest effect the interval's traffic could detect.
    evidence: jsonb('evidence').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('analysis_runs_release_idx').on(t.releaseId, t.createdAt.desc().nullsFirst()),
    // One judgement per interval: a controller that restarts mid-interval cannot judge it twice.
    uniqueIndex('analysis_runs_interval_uq').on(t.releaseId, t.intervalStart),
  ],
);
