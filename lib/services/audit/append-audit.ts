import { sql, type SQL } from 'drizzle-orm';
import { auditBody, type AuditContent } from '@/lib/domain/audit-chain';
import { uuidv7 } from '@/lib/domain/uuid7';
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

/**
 * Appends events, in order, to the hash chain when the caller's transaction commits.
 * The events go to audit_queue now; a deferred trigger (migration 0018) links each to the chain's
 * head at COMMIT, under a transaction-scoped advisory lock that serialises appenders, so two
 * events can never link to the same predecessor (and the unique index on prev_hash would refuse
 * it if they did). Linking in Postgres keeps the lock, which every audited write waits for, off
 * the app's event loop: it is held for the link and the commit, with no round trip in between.
 * The content's canonical text (lib/domain/audit-chain.ts `auditBody`) is made here, in one
 * place, and hashed by the trigger as `sha256(prev || "\n" || body)`, the hash `chainHash`
 * computes. The use-case layer calls this once, at the end of the use case.
 */
export async function appendAudit(tx: Tx, context: AuditContext, events: AuditInput | AuditInput[]): Promise<void> {
  await tx.execute(auditQueueInsert(context, events));
}

export type AuditContext = { actor: Actor; request?: RequestMeta; now: Date };

/** appendAudit's one INSERT, for a hot path that sends it inside a statement of its own (a data-modifying CTE). */
export function auditQueueInsert(context: AuditContext, events: AuditInput | AuditInput[]): SQL {
  const inputs = Array.isArray(events) ? events : [events];
  const rows = inputs.map((input, index) => {
    const content: AuditContent = {
      // Time-ordered: each append extends the id index at its end (lib/domain/uuid7.ts).
      id: uuidv7(context.now.getTime()),
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
  return sql`
    insert into audit_queue (id, occurred_at, actor_type, actor_id, actor_name, action, target_type, target_id, before, after, reason, metadata, body)
    select i.id, i."occurredAt", i."actorType", i."actorId", i."actorName", i.action, i."targetType", i."targetId",
           nullif(i.before, 'null'::jsonb), nullif(i.after, 'null'::jsonb), i.reason, i.metadata, i.body
    from jsonb_to_recordset(${json}::jsonb) as i(ord int, id uuid, "occurredAt" timestamptz, "actorType" text, "actorId" text, "actorName" text,
         action text, "targetType" text, "targetId" text, before jsonb, after jsonb, reason text, metadata jsonb, body text)
    order by i.ord`;
}

/** What jsonb will give back: undefined members dropped, dates as strings. */
function jsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
