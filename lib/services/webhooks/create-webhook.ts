import { webhooks } from '@/db/schema';
import { CreateWebhookInput } from '@/lib/domain/webhook-input';
import { generateWebhookSecret } from '@/lib/domain/webhook-signature';
import { defineUseCase } from '../use-case';

/** A webhook as it may be listed or audited: the signing secret stays in the database. */
export function publicWebhook(webhook: typeof webhooks.$inferSelect) {
  return { id: webhook.id, url: webhook.url, events: webhook.events, format: webhook.format, active: webhook.active, createdAt: webhook.createdAt };
}
export type PublicWebhook = ReturnType<typeof publicWebhook>;

/**
 * Subscribes a URL to release events. The signing secret is generated here and returned once;
 * it is stored (the worker needs it to sign) but never listed or audited.
 * Fails with: forbidden (not admin), invalid.
 */
export const createWebhook = defineUseCase({
  name: 'webhook.create',
  permission: 'webhook.manage',
  summary: 'Create a webhook',
  input: CreateWebhookInput,
  async run({ tx, audit }, input) {
    const secret = generateWebhookSecret();
    const [created] = await tx.insert(webhooks).values({ url: input.url, events: input.events, format: input.format, secret }).returning();
    await audit({ action: 'webhook.create', targetType: 'webhook', targetId: created!.id, after: publicWebhook(created!) });
    return { ...publicWebhook(created!), secret };
  },
});
