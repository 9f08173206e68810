import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { apiKeys, users } from '@/db/schema';
import { hashApiKey } from '@/lib/domain/api-key';
import { isRole, type Actor, type Scope } from '@/lib/domain/roles';
import type { Database } from '@/db';

/** The signed-in person as an actor, read fresh from the database on every request so that a
 * role change or deactivation takes effect at once, not when the session cookie expires. */
export async function actorFromUserId(db: Database, userId: string): Promise<(Actor & { email: string }) | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !user.active) return null;
  return { type: 'user', id: user.id, name: user.name, email: user.email, roles: user.roles.filter(isRole) };
}

// Writing last_used_at on every request would turn each read into a write; once a minute is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** A machine's actor from its bearer secret; null for unknown, revoked or expired keys. */
export async function actorFromApiKey(db: Database, secret: string, now = new Date()): Promise<Actor | null> {
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.secretHash, hashApiKey(secret)));
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, key.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS))),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    );
  return {
    type: 'api_key',
    id: key.id,
    name: `api-key:${key.name}`,
    roles: key.roles.filter(isRole),
    scopes: key.scopes as Scope[],
  };
}
