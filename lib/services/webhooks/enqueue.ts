import { sql, type SQL } from 'drizzle-orm';
import { outbox, webhooks } from '@/db/schema';
import { rowsOf, type Tx } from '@/db';

/**
 * Announces an event to every active webhook subscribed to it ('*' means all), by writing to the
 * outbox in the caller's transaction: the announcement exists exactly when the change committed.
 * A separate worker delivers it with retries (lib/server/webhook-worker.ts), with `traceparent`
 * (the trace of the change) as a header, so receivers can join the trace.
 */
export async function enqueueWebhooks(tx: Tx, event: string, payload: Record<string, unknown>, traceparent?: string): Promise<number> {
  const rows = rowsOf<{ id: number }>(await tx.execute(sql`${outboxInsert(event, payload, traceparent)} returning id`));
  return rows.length;
}

/**
 * enqueueWebhooks's INSERT, for a hot path that sends it inside a statement of its own (a
 * data-modifying CTE). One statement whether or not anyone is subscribed: every release action pays for it.
 */
export function outboxInsert(event: string, payload: Record<string, unknown>, traceparent?: string): SQL {
  return sql`
    insert into ${outbox} (webhook_id, event, payload, traceparent)
    select ${webhooks.id}, ${event}, ${JSON.stringify({ event, ...payload })}::jsonb, ${traceparent ?? null}
    from ${webhooks}
    where ${webhooks.active} and (${event} = any(${webhooks.events}) or '*' = any(${webhooks.events}))`;
}
