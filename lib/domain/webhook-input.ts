import { z } from 'zod';
import { WEBHOOK_FORMATS } from './webhook-format';

/** What a webhook may subscribe to; '*' means every event. */
export const WEBHOOK_EVENTS = [
  'release.request',
  'release.approve',
  'release.reject',
  'release.start',
  'release.pause',
  'release.resume',
  'release.advance',
  'release.promote',
  'release.abort',
  'release.rollback',
  'alert.open',
  'alert.escalate',
  'alert.acknowledge',
  'alert.resolve',
  'audit.checkpoint',
  '*',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * https anywhere; plain http only to this machine. Payloads describe releases and every request
 * carries a signature: over plain http on a network both could be read or replayed by anyone on
 * the path. Loopback traffic never leaves the host, so local receivers (development, sidecars,
 * tests) may skip TLS.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000, 'At most 2000 characters')
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  }, 'Use an https:// URL (http:// only for localhost or 127.0.0.1)');

export const WebhookEvents = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, 'Choose at least one event')
  .transform((events) => [...new Set(events)].sort());

export const CreateWebhookInput = z.object({ url: WebhookUrl, events: WebhookEvents, format: z.enum(WEBHOOK_FORMATS).default('flightdeck') });
export type CreateWebhookInput = z.infer<typeof CreateWebhookInput>;

export const UpdateWebhookInput = z.object({
  webhookId: z.uuid('Not a webhook id'),
  active: z.boolean().optional(),
  events: WebhookEvents.optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
});
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookInput>;
