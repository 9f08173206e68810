import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `fdk_<32 url-safe characters>`. They carry 190+ bits of randomness, so a
 * plain sha256 is enough to store them (no need for a slow password hash), and it lets us find a
 * key by its hash in one indexed lookup.
 */
export const API_KEY_PREFIX = 'fdk_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString('base64url');
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The part that is safe to show in lists. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 6);
}

/** `Authorization: Bearer <key>`; returns undefined when the header is absent or malformed. */
export function parseBearer(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
