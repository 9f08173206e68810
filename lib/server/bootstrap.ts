import { count } from 'drizzle-orm';
import { users } from '@/db/schema';
import type { Config } from '@/lib/config';
import { systemActor } from '@/lib/auth/system-actor';
import { createUser, importApiKey } from '@/lib/services';
import { AppError } from '@/lib/services/errors';
import type { Database } from '@/db';

/**
 * First-run set-up from the environment, for automated installs: the first admin (only while
 * there are no users at all) and an admin API key (only when its secret is not known yet).
 * Both go through the use cases, so they are validated and audited as `system:bootstrap`.
 */
export async function bootstrap(db: Database, config: Config): Promise<string[]> {
  const done: string[] = [];
  const caller = { actor: systemActor('bootstrap'), db, request: { via: 'system' as const } };
  if (config.bootstrapAdmin) {
    const [row] = await db.select({ n: count() }).from(users);
    if (row!.n === 0) {
      try {
        await createUser(caller, { ...config.bootstrapAdmin, name: 'Administrator', roles: ['admin'] });
        done.push(`created the first admin ${config.bootstrapAdmin.email}`);
      } catch (error) {
        // Another instance starting at the same moment created this admin first.
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      }
    }
  }
  if (config.bootstrapApiKey) {
    await importApiKey(caller, { name: 'bootstrap', secret: config.bootstrapApiKey, roles: ['admin'], scopes: ['admin'] });
  }
  return done;
}
