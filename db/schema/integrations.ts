import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One pass of the MLflow registry sync (on demand, on schedule or from a webhook): what it
 * imported, skipped and why. The registrations themselves are audited by their use cases; this is
 * what the Settings page shows as "last sync" and where a failed sync says why.
 */
export const mlflowSyncs = pgTable(
  'mlflow_syncs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trigger: text('trigger').notNull(), // manual | schedule | webhook
    actorName: text('actor_name').notNull(),
    scope: jsonb('scope').notNull().default({}), // { model?, version? }
    status: text('status').notNull(), // ok | failed
    report: jsonb('report'), // MlflowSyncReport (lib/server/mlflow/sync.ts)
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('mlflow_syncs_finished_idx').on(t.finishedAt.desc().nullsFirst())],
);
