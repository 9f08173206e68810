import { asc, desc } from 'drizzle-orm';
import { apiKeys, users } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';
import { publicApiKey } from '@/lib/services/api-keys/public-api-key';
import { publicUser } from '@/lib/services/users/public-user';

type Caller = { actor: Actor | null; db: Database };

/** Everyone may see who has which role; only admins change it. */
export async function listUsers({ actor, db }: Caller) {
  authorize(actor, 'dashboard.read', 'list users');
  const rows = await db.select().from(users).orderBy(asc(users.name));
  return rows.map(publicUser);
}

export async function listApiKeys({ actor, db }: Caller) {
  authorize(actor, 'api_key.manage', 'list API keys');
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(publicApiKey);
}
