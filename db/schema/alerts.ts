import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { models, modelVersions } from './models';
import { releases } from './releases';

/** open → acknowledged → resolved; de-duplicated on (dedup key) while not resolved. */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(), // drift | slo_breach | analysis_failed
    severity: text('severity').notNull(), // warning | critical
    state: text('state').notNull().default('open'), // open | acknowledged | resolved
    dedupKey: text('dedup_key').notNull(),
    title: text('title').notNull(),
    details: jsonb('details').notNull().default({}),
    modelId: uuid('model_id').references(() => models.id),
    versionId: uuid('version_id').references(() => modelVersions.id),
    releaseId: uuid('release_id').references(() => releases.id),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('alerts_state_idx').on(t.state, t.severity, t.openedAt.desc()),
    index('alerts_model_idx').on(t.modelId, t.openedAt.desc()),
  ],
);

/** Opened by every rollback; the timeline is assembled from the audit log and metrics. */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    releaseId: uuid('release_id').references(() => releases.id),
    title: text('title').notNull(),
    state: text('state').notNull().default('open'), // open | closed
    detectedAt: timestamp('detected_at', { withTimezone: true }),
    rolledBackAt: timestamp('rolled_back_at', { withTimezone: true }),
    rolledBackBy: text('rolled_back_by'),
    postmortem: text('postmortem').notNull().default(''),
    postmortemOwner: text('postmortem_owner'),
    actionItems: jsonb('action_items').notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('incidents_created_idx').on(t.createdAt.desc()), uniqueIndex('incidents_release_uq').on(t.releaseId)],
);
