import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { releases } from './releases';

export const experiments = pgTable(
  'experiments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    releaseId: uuid('release_id').references(() => releases.id),
    name: text('name').notNull(),
    hypothesis: text('hypothesis').notNull(),
    arms: jsonb('arms').notNull().default([]), // [{ name, versionId, allocation }]
    randomisationUnit: text('randomisation_unit').notNull().default('user'),
    primaryMetric: text('primary_metric').notNull(),
    secondaryMetrics: jsonb('secondary_metrics').notNull().default([]),
    guardrailMetrics: jsonb('guardrail_metrics').notNull().default([]),
    minimumDetectableEffect: doublePrecision('minimum_detectable_effect'),
    alpha: doublePrecision('alpha').notNull().default(0.05),
    power: doublePrecision('power').notNull().default(0.8),
    plannedSampleSize: integer('planned_sample_size'),
    sequential: jsonb('sequential').notNull().default({ method: 'confidence_sequence', nStar: 5000 }),
    state: text('state').notNull().default('draft'), // draft | running | decided
    decision: text('decision'), // ship | roll_back | keep_running
    decisionReason: text('decision_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('experiments_state_idx').on(t.state, t.createdAt.desc())],
);
