import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { releases } from './releases';

/**
 * An A/B experiment: its design (lib/domain/experiment-design, stored whole as one jsonb so the
 * statistics read exactly what was planned) and its decision. Its traffic is a release with the
 * "ab" strategy; whether it runs is that release's state.
 */
export const experiments = pgTable(
  'experiments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    releaseId: uuid('release_id')
      .notNull()
      .references(() => releases.id),
    name: text('name').notNull(),
    hypothesis: text('hypothesis').notNull(),
    design: jsonb('design').notNull(), // ExperimentDesign: arms, metrics, alpha, power, MDE, baseline, sequential, correction
    plannedSampleSize: integer('planned_sample_size').notNull(), // units per arm
    decision: text('decision'), // ship | roll_back
    decisionReason: text('decision_reason'),
    shippedVersion: text('shipped_version'),
    // The promotion the ship decision requested (approvals apply to it like any release).
    promotionReleaseId: uuid('promotion_release_id').references(() => releases.id),
    // The results as they stood when the decision was taken: the evidence behind it.
    decisionEvidence: jsonb('decision_evidence'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('experiments_release_uq').on(t.releaseId), index('experiments_created_idx').on(t.createdAt.desc().nullsFirst())],
);
