import { index, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { modelVersions } from './models';

/** Reference profile of one feature (or the prediction) from training data. */
export const driftReferences = pgTable(
  'drift_references',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id').notNull().references(() => modelVersions.id),
    feature: text('feature').notNull(),
    featureType: text('feature_type').notNull(), // numeric | categorical
    bins: jsonb('bins').notNull(), // numeric: { edges, counts }; categorical: { categories: { name: count } }
    summary: jsonb('summary'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('drift_references_version_feature_uq').on(t.versionId, t.feature)],
);

/** A production window for one feature, with the scores computed on arrival. */
export const driftSnapshots = pgTable(
  'drift_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referenceId: uuid('reference_id').notNull().references(() => driftReferences.id),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    counts: jsonb('counts').notNull(),
    scores: jsonb('scores').notNull().default({}), // { psi, js, chi2_p, ks_p, wasserstein }
    severity: text('severity').notNull().default('ok'), // ok | warning | critical
    maxScore: real('max_score'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('drift_snapshots_window_uq').on(t.referenceId, t.windowStart),
    index('drift_snapshots_severity_idx').on(t.severity, t.windowEnd.desc()),
  ],
);
