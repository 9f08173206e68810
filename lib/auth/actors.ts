import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { apiKeys, users } from '@/db/schema';
import { hashApiKey } from '@/lib/domain/api-key';
import { isRole, type Actor, type Scope } from '@/lib/domain/roles';
import type { Database } from '@/db';
import { tableCache } from '@/db/table-cache';

/** The signed-in person as an actor, read fresh on every request so that a role change or
 * deactivation takes effect at once, not when the session cookie expires: from memory, which
 * every instance empties when a user row changes (the users trigger of migration 0015). */
export async function actorFromUserId(db: Database, userId: string): Promise<(Actor & { email: string }) | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const user = await usersById
    .get(db, userId, async () => {
      const [row] = await db.select({ id: users.id, name: users.name, email: users.email, roles: users.roles, active: users.active }).from(users).where(eq(users.id, userId));
      if (!row) throw UNKNOWN;
      return row;
    })
    .catch((error: unknown) => {
      if (error === UNKNOWN) return null;
      throw error;
    });
  if (!user || !user.active) return null;
  return { type: 'user', id: user.id, name: user.name, email: user.email, roles: user.roles.filter(isRole) };
}

const usersById = tableCache<Pick<typeof users.$inferSelect, 'id' | 'name' | 'email' | 'roles' | 'active'>>({ tables: ['users'], maxEntries: 1_000, maxAgeMs: 30_000 });

// Writing last_used_at on every request would turn each read into a write; once a minute is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

type KeyRow = Pick<typeof apiKeys.$inferSelect, 'id' | 'name' | 'roles' | 'scopes' | 'revokedAt' | 'expiresAt'>;

/**
 * Keys by secret hash, per process: every /api/v1 call of a machine starts here, and a router
 * polling the split would otherwise spend a query on it each time. A revocation, a new expiry or
 * a role change empties the cache on every instance at once (the api_keys trigger of migration
 * 0014); unknown secrets are never kept, so guessing cannot evict real keys.
 */
const keysByHash = tableCache<KeyRow>({ tables: ['api_keys'], maxEntries: 1_000, maxAgeMs: 30_000 });
/** When this process last wrote each key's last_used_at (bounded: oldest forgotten first). */
const touchedAt = new Map<string, number>();

/** A machine's actor from its bearer secret; null for unknown, revoked or expired keys. */
export async function actorFromApiKey(db: Database, secret: string, now = new Date()): Promise<Actor | null> {
  const hash = hashApiKey(secret);
  const key = await keysByHash
    .get(db, hash, async () => {
      const [row] = await db
        .select({ id: apiKeys.id, name: apiKeys.name, roles: apiKeys.roles, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt, expiresAt: apiKeys.expiresAt })
        .from(apiKeys)
        .where(eq(apiKeys.secretHash, hash));
      if (!row) throw UNKNOWN;
      return row;
    })
    .catch((error: unknown) => {
      if (error === UNKNOWN) return null;
      throw error;
    });
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  await markUsed(db, key.id, now);
  return {
    type: 'api_key',
    id: key.id,
    name: `api-key:${key.name}`,
    roles: key.roles.filter(isRole),
    scopes: key.scopes as Scope[],
  };
}

const UNKNOWN = Symbol('not found');

async function markUsed(db: Database, keyId: string, now: Date): Promise<void> {
  const last = touchedAt.get(keyId);
  if (last !== undefined && now.getTime() - last < LAST_USED_RESOLUTION_MS && now.getTime() >= last) return;
  touchedAt.delete(keyId);
  if (touchedAt.size >= 10_000) touchedAt.delete(touchedAt.keys().next().value!);
  touchedAt.set(keyId, now.getTime());
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    );
}
