import type { apiKeys } from '@/db/schema';

/** An API key as it may be listed or audited: the hash stays in the database. */
export function publicApiKey(key: typeof apiKeys.$inferSelect) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    roles: key.roles,
    scopes: key.scopes,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}
export type PublicApiKey = ReturnType<typeof publicApiKey>;
