import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  secret: text('secret').notNull(), // HMAC-SHA256 signing key
  events: text('events').array().notNull(), // release.rollback, alert.open, …
  active: boolean('active').notNull().default(true),
  // flightdeck: the event JSON; slack: a Slack-compatible { text, blocks } body built at delivery.
  format: text('format').notNull().default('flightdeck'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Written in the same transaction as the change it announces; delivered with retries. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    webhookId: uuid('webhook_id').notNull().references(() => webhooks.id),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    state: text('state').notNull().default('pending'), // pending | delivered | failed
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    traceparent: text('traceparent'), // sent as the delivery's traceparent header
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_due_idx').on(t.state, t.nextAttemptAt)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull().references(() => outbox.id),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_deliveries_outbox_idx').on(t.outboxId)],
);
