import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { environments } from './environments';
import { models, modelVersions } from './models';
import { users } from './users';


/** One version going to one environment against a baseline. State machine: lib/domain. */
export const releases = pgTable(
  'releases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id').notNull().references(() => models.id),
    versionId: uuid('version_id').notNull().references(() => modelVersions.id),
    baselineVersionId: uuid('baseline_version_id').references(() => modelVersions.id),
    environmentId: uuid('environment_id').notNull().references(() => environments.id),
    strategy: text('strategy').notNull(), // canary | blue_green | shadow | ab | split | immediate
    state: text('state').notNull(), // pending_approval | approved | running | paused | promoted | rolled_back | rejected | aborted
    currentStep: integer('current_step').notNull().default(0),
    currentWeight: integer('current_weight').notNull().default(0), // % of traffic on the new version
    // Extra versions and segment rules for split releases.
    routing: jsonb('routing').notNull().default({}),
    routingRevision: integer('routing_revision').notNull().default(0),
    requestedBy: text('requested_by').notNull(),
    // The requesting actor's id (user or API key): the four-eyes rule compares reviewers with it.
    requestedById: text('requested_by_id'),
    requestedByUserId: uuid('requested_by_user_id').references(() => users.id),
    reason: text('reason'),
    // W3C traceparent of the latest person or pipeline that acted on it: the controller's steps continue that trace.
    traceParent: text('trace_parent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    stepStartedAt: timestamp('step_started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('releases_state_idx').on(t.state, t.updatedAt.desc().nullsFirst()),
    index('releases_model_idx').on(t.modelId, t.createdAt.desc().nullsFirst()),
    index('releases_env_state_idx').on(t.environmentId, t.state),
  ],
);

export const releaseSteps = pgTable(
  'release_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    releaseId: uuid('release_id').notNull().references(() => releases.id),
    position: integer('position').notNull(),
    weight: integer('weight').notNull(),
    holdSeconds: integer('hold_seconds').notNull().default(0),
    analysisRequired: boolean('analysis_required').notNull().default(false),
    manualGate: boolean('manual_gate').notNull().default(false),
  },
  (t) => [uniqueIndex('release_steps_release_position_uq').on(t.releaseId, t.position)],
);

export const approvals = pgTable(
  'approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    releaseId: uuid('release_id').notNull().references(() => releases.id),
    reviewerId: text('reviewer_id'), // actor id: a user, or an API key acting for ChatOps
    reviewer: text('reviewer').notNull(),
    decision: text('decision').notNull(), // approve | reject
    comment: text('comment').notNull().default(''),
    evidenceDigest: text('evidence_digest').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
  },
  (t) => [
    index('approvals_release_idx').on(t.releaseId),
    uniqueIndex('approvals_release_reviewer_uq').on(t.releaseId, t.reviewerId),
  ],
);
