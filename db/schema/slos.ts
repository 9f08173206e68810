import { bigserial, boolean, doublePrecision, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { environments } from './environments';
import { models } from './models';

/**
 * A service level objective of a model's service in one environment: availability (share of
 * requests without error) or latency (share of requests at or under a threshold), over 30 days,
 * alerted with the SRE workbook's multi-window, multi-burn-rate rules (lib/domain/slo-burn-rate).
 */
export const slos = pgTable(
  'slos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id),
    environmentId: uuid('environment_id')
      .notNull()
      .references(() => environments.id),
    kind: text('kind').notNull(), // availability | latency
    objective: doublePrecision('objective').notNull(), // e.g. 0.999
    latencyThresholdMs: doublePrecision('latency_threshold_ms'),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('slos_model_env_kind_uq').on(t.modelId, t.environmentId, t.kind)],
);

/**
 * What the serving side reports for a whole service (every version together), per time bucket:
 * requests, errors and the latency histogram. SLOs are measured on it; releases keep their own
 * per-variant samples (metric_samples).
 */
export const serviceSamples = pgTable(
  'service_samples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id),
    environmentId: uuid('environment_id')
      .notNull()
      .references(() => environments.id),
    bucketStart: timestamp('bucket_start', { withTimezone: true }).notNull(),
    requests: doublePrecision('requests').notNull(),
    errors: doublePrecision('errors').notNull().default(0),
    histogram: jsonb('histogram'), // [{ le: ms, count }] (count per bucket)
    simulated: boolean('simulated').notNull().default(false),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('service_samples_bucket_uq').on(t.modelId, t.environmentId, t.bucketStart), index('service_samples_time_idx').on(t.modelId, t.environmentId, t.bucketStart)],
);
