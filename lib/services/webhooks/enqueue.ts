import { and, eq } from 'drizzle-orm';
import { outbox, webhooks } from '@/db/schema';
import type { Tx } from '@/db';

/**
 * Announces an event to every active webhook subscribed to it ('*' means all), by writing to the
 * outbox in the caller's transaction: the announcement exists exactly when the change committed.
 * A separate worker delivers it with retries (lib/server/webhook-worker.ts), with `traceparent`
 * (the trace of the change) as a header, so receivers can join the trace.
 */
export async function enqueueWebhooks(tx: Tx, event: string, payload: Record<string, unknown>, traceparent?: string): Promise<number> {
  const targets = await tx.select({ id: webhooks.id, events: webhooks.events }).from(webhooks).where(and(eq(webhooks.active, true)));
  const subscribed = targets.filter((w) => w.events.includes(event) || w.events.includes('*'));
  if (subscribed.length === 0) return 0;
  await tx.insert(outbox).values(subscribed.map((w) => ({ webhookId: w.id, event, payload: { event, ...payload }, traceparent: traceparent ?? null })));
  return subscribed.length;
}
