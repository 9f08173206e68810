import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { outbox, webhookDeliveries, webhooks } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';
import { publicWebhook } from '@/lib/services/webhooks/create-webhook';

type Caller = { actor: Actor | null; db: Database };

/** Webhooks without their signing secrets; admins only (URLs may name internal systems). */
export async function listWebhooks({ actor, db }: Caller) {
  authorize(actor, 'webhook.manage', 'list webhooks');
  const rows = await db.select().from(webhooks).orderBy(desc(webhooks.createdAt));
  return rows.map(publicWebhook);
}

/** The last 100 delivery attempts of one webhook, newest first, with the event and its outbox state. */
export async function listWebhookDeliveries({ actor, db }: Caller, webhookId: string) {
  authorize(actor, 'webhook.manage', 'list webhook deliveries');
  // A malformed id would otherwise reach Postgres as an invalid uuid (a 500): it names nothing.
  if (!z.uuid().safeParse(webhookId).success) throw notFound('The webhook');
  const [webhook] = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, webhookId));
  if (!webhook) throw notFound('The webhook');
  return db
    .select({
      id: webhookDeliveries.id,
      outboxId: webhookDeliveries.outboxId,
      event: outbox.event,
      state: outbox.state,
      attempts: outbox.attempts,
      statusCode: webhookDeliveries.statusCode,
      error: webhookDeliveries.error,
      durationMs: webhookDeliveries.durationMs,
      attemptedAt: webhookDeliveries.attemptedAt,
    })
    .from(webhookDeliveries)
    .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
    .where(eq(outbox.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.attemptedAt), desc(webhookDeliveries.id))
    .limit(100);
}
