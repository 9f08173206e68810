import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { auditBody, GENESIS_HASH, type AuditContent } from '@/lib/domain/audit-chain';
import type { Actor } from '@/lib/domain/roles';
import type { Tx } from '@/db';

/** Who asked, from where, and (W3C traceparent) within which trace: stored with every audit event. */
export type RequestMeta = { requestId?: string; ip?: string; userAgent?: string; via?: 'ui' | 'api' | 'system'; traceparent?: string };

export type AuditInput = {
  action: string; // domain verb, e.g. model.create
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

// Any constant works; it only has to be the same in every process that appends.
const AUDIT_APPEND_LOCK = 7262002;

/**
 * Appends events, in order, to the hash chain inside the caller's transaction.
 * Concurrency: a transaction-scoped advisory lock serialises appenders from the moment they read
 * the head until they commit, so two events can never link to the same predecessor (and the
 * unique index on prev_hash would refuse it if they did). The use-case layer calls this once, at
 * the end of the use case.
 *
 * The lock is the one thing every writer waits for, so its hold is kept to one statement and the
 * commit: the content (and its canonical text, lib/domain/audit-chain.ts `auditBody`) is ready
 * before the lock, the lock and the append are sent together, and the append reads the head and
 * links the events in SQL — `sha256(prev || "\n" || body)`, the hash `chainHash` computes. It
 * is a statement of its own after the lock, so its snapshot sees the previous holder's commit.
 * Under the lock there is now one round trip to the commit; there were three (lock, read the
 * head, insert), each waiting its turn in a busy event loop before the next could be sent.
 */
export async function appendAudit(
  tx: Tx,
  context: { actor: Actor; request?: RequestMeta; now: Date },
  events: AuditInput | AuditInput[],
): Promise<void> {
  const inputs = Array.isArray(events) ? events : [events];
  const rows = inputs.map((input, index) => {
    const content: AuditContent = {
      id: randomUUID(),
      // Millisecond precision, as stored (timestamp(3)), so that the hash survives the round trip.
      occurredAt: new Date(context.now.getTime()),
      actorType: context.actor.type,
      actorId: context.actor.id,
      actorName: context.actor.name,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      before: jsonValue(input.before),
      after: jsonValue(input.after),
      reason: input.reason ?? null,
      metadata: jsonValue(context.request ?? {}),
    };
    return { ord: index + 1, ...content, body: auditBody(content) };
  });
  // One jsonb parameter (Dates become ISO strings with milliseconds, as hashed); JSON null
  // arrives as jsonb 'null', stored as SQL NULL as before.
  const json = JSON.stringify(rows);
  await Promise.all([
    tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`),
    tx.execute(sql`
      with recursive input as (
        select * from jsonb_to_recordset(${json}::jsonb) as r(ord int, id uuid, "occurredAt" timestamptz, "actorType" text, "actorId" text, "actorName" text,
             action text, "targetType" text, "targetId" text, before jsonb, after jsonb, reason text, metadata jsonb, body text)
      ),
      chain (ord, prev_hash, hash) as (
        select 0, null::text, coalesce((select hash from audit_events order by seq desc limit 1), ${GENESIS_HASH})
        union all
        select i.ord, c.hash, encode(sha256(convert_to(c.hash || E'\n' || i.body, 'UTF8')), 'hex')
        from chain c join input i on i.ord = c.ord + 1
      )
      insert into audit_events (id, occurred_at, actor_type, actor_id, actor_name, action, target_type, target_id, before, after, reason, metadata, prev_hash, hash)
      select i.id, i."occurredAt", i."actorType", i."actorId", i."actorName", i.action, i."targetType", i."targetId",
             nullif(i.before, 'null'::jsonb), nullif(i.after, 'null'::jsonb), i.reason, i.metadata, c.prev_hash, c.hash
      from input i join chain c on c.ord = i.ord
      order by i.ord`),
  ]);
}

/** What jsonb will give back: undefined members dropped, dates as strings. */
function jsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
