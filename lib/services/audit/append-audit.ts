import { randomUUID } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import { auditEvents } from '@/db/schema';
import { GENESIS_HASH, hashAuditEvent, type AuditContent } from '@/lib/domain/audit-chain';
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
 * the end of the use case, to keep the serialised part to one read, one insert and the commit.
 */
export async function appendAudit(
  tx: Tx,
  context: { actor: Actor; request?: RequestMeta; now: Date },
  events: AuditInput | AuditInput[],
): Promise<void> {
  const inputs = Array.isArray(events) ? events : [events];
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`);
  const [head] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = inputs.map((input) => {
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
    const row = { ...content, prevHash, hash: hashAuditEvent(prevHash, content) };
    prevHash = row.hash;
    return row;
  });
  // One statement: rows take their seq in the order given, which is the chain's order.
  await tx.insert(auditEvents).values(rows);
}

/** What jsonb will give back: undefined members dropped, dates as strings. */
function jsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
