import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { environments } from './environments';
import { models, modelVersions } from './models';
import { releases } from './releases';

/**
 * An alert people see: open → acknowledged → resolved. At most one unresolved alert per dedup key
 * (model · version · feature · environment for drift, release for a failed analysis, SLO for a
 * burn): the signal returning makes the same alert rise in severity, not a new one.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(), // drift | slo_breach | analysis_failed
    severity: text('severity').notNull(), // warning | critical
    state: text('state').notNull().default('open'), // open | acknowledged | resolved
    dedupKey: text('dedup_key').notNull(),
    title: text('title').notNull(),
    details: jsonb('details').notNull().default({}), // the evidence summary
    modelId: uuid('model_id').references(() => models.id),
    versionId: uuid('version_id').references(() => modelVersions.id),
    environmentId: uuid('environment_id').references(() => environments.id),
    releaseId: uuid('release_id').references(() => releases.id),
    feature: text('feature'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('alerts_state_idx').on(t.state, t.severity, t.openedAt.desc().nullsFirst()),
    index('alerts_model_idx').on(t.modelId, t.openedAt.desc().nullsFirst()),
    uniqueIndex('alerts_unresolved_dedup_uq').on(t.dedupKey).where(sql`state <> 'resolved'`),
  ],
);

/** Who did what to an alert, and what they said: its comment trail. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    action: text('action').notNull(), // open | escalate | acknowledge | comment | resolve | auto_resolve | gate
    actor: text('actor').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('alert_events_alert_idx').on(t.alertId, t.createdAt)],
);

/**
 * The rule state of every signal the controller watches (lib/domain/alert-rules): pending,
 * firing, recovering — kept whether or not an alert exists yet, so "for" and "keep firing for"
 * survive restarts and a pending signal that clears never pages anyone.
 */
export const alertInstances = pgTable('alert_instances', {
  dedupKey: text('dedup_key').primaryKey(),
  kind: text('kind').notNull(),
  state: jsonb('state').notNull(),
  alertId: uuid('alert_id').references(() => alerts.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

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
  (t) => [index('incidents_created_idx').on(t.createdAt.desc().nullsFirst()), uniqueIndex('incidents_release_uq').on(t.releaseId)],
);
