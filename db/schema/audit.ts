import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Append-only hash chain. A trigger (see the custom migration) refuses UPDATE, DELETE and
 * TRUNCATE; each row's hash covers its content and the previous row's hash. */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type').notNull(), // user | api_key | system
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(), // domain verb: model.create, release.rollback, …
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    metadata: jsonb('metadata').notNull().default({}), // request id, ip, user agent
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    // Two events can never extend the same link: the append lock makes this unreachable, the
    // index makes it impossible.
    uniqueIndex('audit_events_prev_hash_uq').on(t.prevHash),
    index('audit_events_occurred_idx').on(t.occurredAt.desc().nullsFirst()),
    index('audit_events_target_idx').on(t.targetId, t.seq.desc().nullsFirst()),
    index('audit_events_actor_idx').on(t.actorId, t.seq.desc().nullsFirst()),
    index('audit_events_action_idx').on(t.action, t.seq.desc().nullsFirst()),
  ],
);

/**
 * Signed checkpoints of the chain's head: at a time, the seq and hash of the newest event,
 * signed with the server's Ed25519 key (lib/domain/audit-export). A chain whose tail was cut off
 * no longer contains a checkpointed event — verification names it.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [uniqueIndex('audit_checkpoints_seq_uq').on(t.seq)],
);

/**
 * Events waiting for their transaction's commit to be linked into the chain. A use case writes
 * its events here; a deferred trigger (migration 0018) takes the append lock at COMMIT, links
 * each event to the head and moves it into audit_events, all inside Postgres: the lock that
 * orders every writer is held for the commit alone, never across a round trip to a busy app.
 * Rows live only inside their transaction (unlogged: nothing here needs to survive a crash).
 */
export const auditQueue = pgTable('audit_queue', {
  ord: bigserial('ord', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
  actorType: text('actor_type').notNull(),
  actorId: text('actor_id').notNull(),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  reason: text('reason'),
  metadata: jsonb('metadata').notNull(),
  /** The canonical text the hash covers (lib/domain/audit-chain.ts `auditBody`). */
  body: text('body').notNull(),
});
