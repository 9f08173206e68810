import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * MLflow model-registry webhooks (MLflow 3.3+), as the server sends them. Confirmed in mlflow's source:
 * - mlflow/webhooks/constants.py: headers X-MLflow-Signature, X-MLflow-Timestamp,
 *   X-MLflow-Delivery-Id; signature version "v1".
 * - mlflow/webhooks/delivery.py `_generate_hmac_signature`: HMAC-SHA256 keyed with the secret's
 *   UTF-8 bytes (not base64-decoded, unlike Standard Webhooks' whsec_ keys) over
 *   "<delivery_id>.<timestamp>.<payload>", base64-encoded, sent as "v1,<base64>". The timestamp is
 *   unix seconds as a string (a fresh uuid4 is the delivery id); the payload is the exact body.
 * - delivery.py `_send_webhook_request`: the body is json.dumps of
 *   { entity, action, timestamp (ISO 8601), data, workspace? }; no signature header when the
 *   webhook has no secret.
 * - mlflow/entities/webhook.py and mlflow/webhooks/types.py: the events and each `data` shape.
 */

export const MLFLOW_SIGNATURE_HEADER = 'X-MLflow-Signature';
export const MLFLOW_TIMESTAMP_HEADER = 'X-MLflow-Timestamp';
export const MLFLOW_DELIVERY_ID_HEADER = 'X-MLflow-Delivery-Id';

export type MlflowWebhookHeaders = {
  signature: string | null | undefined;
  deliveryId: string | null | undefined;
  timestamp: string | null | undefined;
};

function hmacBase64(secret: string, deliveryId: string, timestamp: string, rawBody: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${deliveryId}.${timestamp}.${rawBody}`, 'utf8').digest();
}

/** The X-MLflow-Signature value MLflow would send: "v1,<base64 HMAC-SHA256>". */
export function signMlflowWebhook(secret: string, deliveryId: string, timestampSeconds: number | string, rawBody: string): string {
  return `v1,${hmacBase64(secret, deliveryId, String(timestampSeconds), rawBody).toString('base64')}`;
}

/** All three headers of a signed delivery, for building test requests. */
export function mlflowWebhookHeaders(secret: string, deliveryId: string, timestampSeconds: number, rawBody: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    [MLFLOW_DELIVERY_ID_HEADER]: deliveryId,
    [MLFLOW_TIMESTAMP_HEADER]: String(timestampSeconds),
    [MLFLOW_SIGNATURE_HEADER]: signMlflowWebhook(secret, deliveryId, timestampSeconds, rawBody),
  };
}

// 32 bytes of HMAC-SHA256 are exactly 44 base64 characters ending in one "=".
const V1_SIGNATURE = /^v1,([A-Za-z0-9+/]{43}=)$/;

/**
 * True when the delivery was signed with `secret` at most `toleranceSeconds` away from
 * `nowSeconds`. Both directions count, as for Flightdeck's own webhooks, so a receiver whose clock
 * runs behind is not locked out (MLflow's docs example only refuses old ones). The comparison is
 * constant-time. Several space-separated signatures are accepted, the Standard Webhooks form
 * MLflow's scheme follows, though MLflow itself sends one. Refusing a repeated delivery id within
 * the tolerance is the caller's job: it needs storage.
 */
export function verifyMlflowWebhook(secret: string, headers: MlflowWebhookHeaders, rawBody: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const { signature, deliveryId, timestamp } = headers;
  if (!secret || !signature || !deliveryId || !timestamp) return false;
  if (deliveryId.length > 200 || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = hmacBase64(secret, deliveryId, timestamp, rawBody);
  return signature
    .trim()
    .split(/\s+/)
    .map((candidate) => V1_SIGNATURE.exec(candidate)?.[1])
    .filter((b64): b64 is string => b64 !== undefined)
    .some((b64) => {
      const given = Buffer.from(b64, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const Tags = z.record(z.string(), z.string()).default({});

/** `data` per event (mlflow/webhooks/types.py); every one names the registered model. */
const EVENT_DATA = {
  'registered_model.created': z.object({ name: z.string(), tags: Tags, description: z.string().nullish() }),
  'model_version.created': z.object({
    name: z.string(),
    version: z.string(),
    source: z.string(),
    run_id: z.string().nullish(),
    tags: Tags,
    description: z.string().nullish(),
  }),
  'model_version_tag.set': z.object({ name: z.string(), version: z.string(), key: z.string(), value: z.string() }),
  'model_version_tag.deleted': z.object({ name: z.string(), version: z.string(), key: z.string() }),
  'model_version_alias.created': z.object({ name: z.string(), alias: z.string(), version: z.string() }),
  'model_version_alias.deleted': z.object({ name: z.string(), alias: z.string() }),
} as const;

export type MlflowRegistryEventName = keyof typeof EVENT_DATA;
export const MLFLOW_REGISTRY_EVENTS = Object.keys(EVENT_DATA) as MlflowRegistryEventName[];

export type MlflowRegistryEvent = {
  [E in MlflowRegistryEventName]: { event: E; timestamp: string; workspace?: string; data: z.infer<(typeof EVENT_DATA)[E]> };
}[MlflowRegistryEventName];

/** The envelope delivery.py wraps every payload in. */
export const MlflowWebhookEnvelope = z.object({
  entity: z.string(),
  action: z.string(),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
  workspace: z.string().optional(),
});

export type MlflowWebhookParse =
  | { ok: true; event: MlflowRegistryEvent }
  /** Prompt and budget events (MLflow 3.x) say nothing about models: acknowledge, do nothing. */
  | { ok: false; reason: 'ignored'; event: string }
  | { ok: false; reason: 'malformed'; message: string };

/** The body of a verified delivery, parsed. Call only after verifyMlflowWebhook. */
export function parseMlflowWebhook(rawBody: string): MlflowWebhookParse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'malformed', message: 'Body is not JSON' };
  }
  const envelope = MlflowWebhookEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, reason: 'malformed', message: 'Expected { entity, action, timestamp, data }' };
  const { entity, action, timestamp, data, workspace } = envelope.data;
  const event = `${entity}.${action}`;
  if (!(event in EVENT_DATA)) return { ok: false, reason: 'ignored', event };
  const name = event as MlflowRegistryEventName;
  const parsed = EVENT_DATA[name].safeParse(data);
  if (!parsed.success) return { ok: false, reason: 'malformed', message: `Unexpected data for ${event}: ${parsed.error.issues[0]?.path.join('.') || 'data'}` };
  const base = workspace === undefined ? { timestamp } : { timestamp, workspace };
  return { ok: true, event: { event: name, ...base, data: parsed.data } as MlflowRegistryEvent };
}

/** What a manual sync covers (POST /api/v1/integrations/mlflow/sync): everything, a model, or one version of it. */
export const MlflowSyncScope = z
  .object({
    model: z.string().trim().min(1).max(500).optional().describe('An MLflow registered model name; all models when left out'),
    version: z.string().trim().regex(/^\d{1,10}$/, 'An MLflow version number such as 3').optional().describe('An MLflow version number such as 3; needs model'),
  })
  .strict()
  .refine((s) => s.version === undefined || s.model !== undefined, { message: 'A version needs its model', path: ['version'] });
export type MlflowSyncScope = z.infer<typeof MlflowSyncScope>;
