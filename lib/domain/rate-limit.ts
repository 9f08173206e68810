/**
 * A token bucket per API key: `ratePerSecond` tokens flow in, up to `burst` are kept, a request
 * takes one. Pure: the caller keeps the state and passes the clock, so the arithmetic is tested
 * as a table and the limiter holds nothing but numbers.
 */
export type Bucket = { tokens: number; at: number };
export type Limit = { ratePerSecond: number; burst: number };

/** Takes one token if there is one. Otherwise says in how many seconds there will be (≥ 1, for Retry-After). */
export function take(bucket: Bucket | undefined, limit: Limit, nowMs: number): { allowed: boolean; bucket: Bucket; retryAfterSeconds: number } {
  const elapsed = bucket ? Math.max(0, nowMs - bucket.at) / 1000 : 0;
  const tokens = Math.min(limit.burst, (bucket?.tokens ?? limit.burst) + elapsed * limit.ratePerSecond);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, at: nowMs }, retryAfterSeconds: 0 };
  return { allowed: false, bucket: { tokens, at: nowMs }, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.ratePerSecond)) };
}

/** FLIGHTDECK_API_RATE_LIMIT as "<requests per second>" or "<per second>/<burst>"; "0" = no limit. */
export function parseRateLimit(text: string | undefined): Limit | null | 'invalid' {
  const value = (text ?? '').trim();
  if (value === '') return { ratePerSecond: 100, burst: 200 };
  if (value === '0') return null;
  const m = /^(\d{1,6})(?:\/(\d{1,7}))?$/.exec(value);
  if (!m) return 'invalid';
  const ratePerSecond = Number(m[1]);
  const burst = m[2] === undefined ? ratePerSecond * 2 : Number(m[2]);
  if (ratePerSecond < 1 || burst < 1) return 'invalid';
  return { ratePerSecond, burst };
}
