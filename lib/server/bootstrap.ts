import { count } from 'drizzle-orm';
import { environments, users } from '@/db/schema';
import { DEFAULT_PRODUCTION_POLICY, DEFAULT_STAGING_POLICY } from '@/lib/domain/gate-policy';
import { DEFAULT_PRODUCTION_PLAN, DEFAULT_STAGING_PLAN } from '@/lib/domain/release-plan';
import type { Config } from '@/lib/config';
import { systemActor } from '@/lib/auth/system-actor';
import { createEnvironment, createUser, importApiKey } from '@/lib/services';
import { ignoreConflict } from '@/lib/services/errors';
import type { Database } from '@/db';

/**
 * First-run set-up: staging and production with default gate policies (only while there are no
 * environments); from the environment variables, for automated installs, the first admin (only
 * while there are no users at all) and an admin API key (only when its secret is not known yet).
 * Both go through the use cases, so they are validated and audited as `system:bootstrap`.
 */
export async function bootstrap(db: Database, config: Config): Promise<string[]> {
  const done: string[] = [];
  const caller = { actor: systemActor('bootstrap'), db, request: { via: 'system' as const } };
  const [envCount] = await db.select({ n: count() }).from(environments);
  if (envCount!.n === 0) {
    for (const env of [
      { name: 'staging', rank: 1, policy: DEFAULT_STAGING_POLICY, protection: { requiredApprovals: 0, approvalTtlHours: 72, defaultPlan: DEFAULT_STAGING_PLAN, freezeWindows: [] } },
      { name: 'production', rank: 2, policy: DEFAULT_PRODUCTION_POLICY, protection: { requiredApprovals: 1, approvalTtlHours: 72, defaultPlan: DEFAULT_PRODUCTION_PLAN, freezeWindows: [] } },
    ])
      // Another instance starting at the same moment may create them first.
      await ignoreConflict(() => createEnvironment(caller, env));
    done.push('created the staging and production environments');
  }
  if (config.bootstrapAdmin) {
    const [row] = await db.select({ n: count() }).from(users);
    if (row!.n === 0) {
      if (await ignoreConflict(() => createUser(caller, { ...config.bootstrapAdmin!, name: 'Administrator', roles: ['admin'] })))
        done.push(`created the first admin ${config.bootstrapAdmin.email}`);
    }
  }
  if (config.bootstrapApiKey) {
    await importApiKey(caller, { name: 'bootstrap', secret: config.bootstrapApiKey, roles: ['admin'], scopes: ['admin'] });
  }
  return done;
}
