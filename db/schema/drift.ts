import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { environments } from './environments';
import { modelVersions } from './models';

/**
 * Reference profile of one feature (or the prediction) of a model version, posted by CI from its
 * training data: numeric as counts over bins whose inner edges are the reference's quantiles,
 * categorical as counts per category (lib/domain/drift-bins). An optional raw sample (capped)
 * lets KS and Wasserstein run on values rather than bins.
 */
export const driftReferences = pgTable(
  'drift_references',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id').notNull().references(() => modelVersions.id),
    feature: text('feature').notNull(),
    role: text('role').notNull().default('feature'), // feature | prediction
    featureType: text('feature_type').notNull(), // numeric | categorical
    bins: jsonb('bins').notNull(), // numeric: { edges, counts }; categorical: { counts: { category: n } }
    summary: jsonb('summary'),
    sample: jsonb('sample'), // raw values, at most 10,000
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('drift_references_version_feature_uq').on(t.versionId, t.feature)],
);

/** A production window of one feature in one environment, with its scores computed on arrival. */
export const driftSnapshots = pgTable(
  'drift_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referenceId: uuid('reference_id')
      .notNull()
      .references(() => driftReferences.id),
    environmentId: uuid('environment_id')
      .notNull()
      .references(() => environments.id),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    counts: jsonb('counts').notNull(), // same shape as the reference's bins
    sample: jsonb('sample'), // raw values when they were sent, at most 10,000
    n: integer('n').notNull(),
    method: text('method').notNull(), // the headline method: psi | js | chi_square | ks | wasserstein
    value: real('value').notNull(), // its value (a distance, or a p-value for tests)
    scores: jsonb('scores').notNull().default({}), // every score computed, with its convention
    severity: text('severity').notNull().default('ok'), // ok | warning | critical
    simulated: boolean('simulated').notNull().default(false),
    // Set by the controller once the alert rules have seen this window.
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Re-sending a window replaces it.
    uniqueIndex('drift_snapshots_window_uq').on(t.referenceId, t.environmentId, t.windowStart),
    index('drift_snapshots_pending_idx').on(t.evaluatedAt, t.createdAt),
    index('drift_snapshots_reference_time_idx').on(t.referenceId, t.environmentId, t.windowEnd.desc().nullsFirst()),
  ],
);
