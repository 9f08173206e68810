import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(), // slug, e.g. fraud-detector
    ownerTeam: text('owner_team').notNull(),
    description: text('description').notNull().default(''),
    servingService: text('serving_service').notNull(), // the service routers know it by
    // Drift thresholds and method choices for this model (lib/domain/drift-policy); empty = defaults.
    driftPolicy: jsonb('drift_policy').notNull().default({}),
    // Which model server's Prometheus metrics judge its canaries (lib/domain/metrics-presets); null = the environment's.
    metricsSource: jsonb('metrics_source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('models_owner_idx').on(t.ownerTeam), index('models_service_idx').on(t.servingService)],
);

/** Immutable once registered, except tags and status. */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id').notNull().references(() => models.id),
    version: text('version').notNull(), // semantic version as written
    // Numeric parts for ordering in SQL; pre-release order is decided in lib/domain.
    major: integer('major').notNull(),
    minor: integer('minor').notNull(),
    patch: integer('patch').notNull(),
    prerelease: text('prerelease'),
    artifactUri: text('artifact_uri').notNull(),
    artifactDigest: text('artifact_digest').notNull(), // sha256:<hex>
    gitCommit: text('git_commit'),
    dataSnapshotId: text('data_snapshot_id'),
    dataSnapshotHash: text('data_snapshot_hash'),
    hyperparameters: jsonb('hyperparameters').notNull().default({}),
    offlineMetrics: jsonb('offline_metrics').notNull().default({}),
    contract: jsonb('contract').notNull().default({ inputs: [], outputs: [] }),
    parentVersionId: uuid('parent_version_id'),
    // What the registry found against the predecessor: { against, level, changes } (lib/domain/contract).
    contractChange: jsonb('contract_change'),
    // sha256 of the canonical registration payload: an identical re-post is idempotent, a different one a conflict.
    payloadDigest: text('payload_digest').notNull().default(''),
    tags: text('tags').array().notNull().default([]),
    status: text('status').notNull().default('registered'), // registered | archived
    registeredBy: text('registered_by').notNull(), // actor label
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('model_versions_model_version_uq').on(t.modelId, t.version),
    index('model_versions_model_registered_idx').on(t.modelId, t.registeredAt.desc().nullsFirst()),
    index('model_versions_registered_idx').on(t.registeredAt.desc().nullsFirst()),
    index('model_versions_order_idx').on(t.modelId, t.major.desc().nullsFirst(), t.minor.desc().nullsFirst(), t.patch.desc().nullsFirst()),
  ],
);

/** A CI result for a version; re-posting the same kind updates it. */
export const gateChecks = pgTable(
  'gate_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id').notNull().references(() => modelVersions.id),
    kind: text('kind').notNull(), // unit | smoke | data_drift | performance | quality_regression | safety | contract
    status: text('status').notNull(), // passed | failed | running | skipped
    measurements: jsonb('measurements').notNull().default({}),
    link: text('link'),
    summary: text('summary'), // one line from CI: what was tested, why it failed
    reportedBy: text('reported_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('gate_checks_version_kind_uq').on(t.versionId, t.kind)],
);
