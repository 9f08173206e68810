import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How receivers know a webhook came from Flightdeck (the scheme Stripe uses):
 *   X-Flightdeck-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 * The timestamp is signed with the body, so a captured request cannot be replayed once it is older
 * than the receiver's tolerance.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** 192 random bits; shown once when the webhook is created. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(24).toString('base64url');
}

export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

/**
 * True when `header` carries a v1 signature of `body` made with `secret` at most `toleranceSeconds`
 * away from `nowSeconds`. Compared in constant time, so the signature cannot be guessed byte by byte.
 */
export function verifyWebhookSignature(secret: string, body: string, header: string | null | undefined, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, ts, body), 'hex');
  // Several v1 entries are allowed, as during a secret rotation.
  return parts
    .filter(([key, value]) => key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/i.test(value))
    .some(([, value]) => timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}

function hmacHex(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** Deliveries are tried at most this many times, then the outbox row is marked failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;
const BASE_DELAY_SECONDS = 10;
const MAX_DELAY_SECONDS = 3600;

/**
 * Seconds to wait after the `attempt`-th failed delivery (1 = the first): 10 s × 2^(attempt−1),
 * capped at an hour; null once MAX_DELIVERY_ATTEMPTS have failed — give up. Doubling spreads a
 * receiver's recovery over ~21 minutes of retries instead of hammering it while it is down.
 */
export function retryDelaySeconds(attempt: number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  if (attempt >= MAX_DELIVERY_ATTEMPTS) return null;
  return Math.min(BASE_DELAY_SECONDS * 2 ** (attempt - 1), MAX_DELAY_SECONDS);
}
