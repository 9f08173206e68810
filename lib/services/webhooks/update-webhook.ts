import { eq } from 'drizzle-orm';
import { webhooks } from '@/db/schema';
import { UpdateWebhookInput } from '@/lib/domain/webhook-input';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';
import { publicWebhook } from './create-webhook';

/**
 * Pauses/resumes a webhook or changes its events. Deactivating stops new announcements at once;
 * the worker marks those already queued as failed. Repeating the current settings is a no-op.
 * Fails with: forbidden (not admin), invalid, not_found.
 */
export const updateWebhook = defineUseCase({
  name: 'webhook.update',
  permission: 'webhook.manage',
  summary: 'Update a webhook',
  input: UpdateWebhookInput,
  async run({ tx, audit, unchanged }, input) {
    const [before] = await tx.select().from(webhooks).where(eq(webhooks.id, input.webhookId)).for('update');
    if (!before) throw notFound('The webhook');
    const active = input.active ?? before.active;
    const format = input.format ?? before.format;
    const events = input.events ?? before.events;
    if (active === before.active && format === before.format && [...before.events].sort().join() === events.join()) {
      unchanged();
      return publicWebhook(before);
    }
    const [after] = await tx.update(webhooks).set({ active, events, format }).where(eq(webhooks.id, before.id)).returning();
    await audit({ action: 'webhook.update', targetType: 'webhook', targetId: before.id, before: publicWebhook(before), after: publicWebhook(after!) });
    return publicWebhook(after!);
  },
});
